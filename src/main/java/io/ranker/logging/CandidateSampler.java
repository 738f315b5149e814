package io.ranker.logging;

/**
 * Decides which impressions are logged with their full candidate set. The decision is a pure function of
 * the impression id, so it is reproducible (replay knows why a record has candidates) and spread evenly.
 */
public final class CandidateSampler {
    private final double rate;

    public CandidateSampler(double rate) {
        if (!(rate >= 0 && rate <= 1)) throw new IllegalArgumentException("candidate sample rate must be in [0, 1]: " + rate);
        this.rate = rate;
    }

    public boolean sample(String impressionId) {
        if (rate <= 0) return false;
        if (rate >= 1) return true;
        long h = impressionId.hashCode() * 0x9E3779B97F4A7C15L;
        h ^= h >>> 31; // SplitMix64 finaliser: a uniform 64-bit value from the id's hash
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 27;
        h *= 0x94D049BB133111EBL;
        h ^= h >>> 31;
        return (h >>> 11) * 0x1.0p-53 < rate;
    }

    public double rate() {
        return rate;
    }
}
