package io.ranker.replay.ope;

/**
 * Settings of one estimation run.
 *
 * @param bootstrapReplicates number of Poisson bootstrap replicates behind each 95% interval
 * @param seed                seed of the bootstrap (same seed and same input order give the same intervals)
 * @param clipWeight          importance weights above this are clipped to it (biased, lower variance); +inf = none
 * @param switchTau           switch-DR drops the importance-weighted correction of slots whose weight exceeds this
 * @param coverageWarning     warn when the share of target mass on logged support is below this
 */
public record OpeSettings(int bootstrapReplicates, long seed, double clipWeight, double switchTau,
                          double coverageWarning) {

    public OpeSettings {
        if (bootstrapReplicates < 20) {
            throw new IllegalArgumentException("bootstrapReplicates must be >= 20, got " + bootstrapReplicates);
        }
        if (!(clipWeight > 0)) {
            throw new IllegalArgumentException("clipWeight must be > 0, got " + clipWeight);
        }
        if (!(switchTau > 0)) {
            throw new IllegalArgumentException("switchTau must be > 0, got " + switchTau);
        }
    }

    public static OpeSettings defaults() {
        return new OpeSettings(1000, 42L, Double.POSITIVE_INFINITY, 100.0, 0.95);
    }

    public OpeSettings withSeed(long newSeed) {
        return new OpeSettings(bootstrapReplicates, newSeed, clipWeight, switchTau, coverageWarning);
    }

    public OpeSettings withClipWeight(double clip) {
        return new OpeSettings(bootstrapReplicates, seed, clip, switchTau, coverageWarning);
    }

    public OpeSettings withSwitchTau(double tau) {
        return new OpeSettings(bootstrapReplicates, seed, clipWeight, tau, coverageWarning);
    }

    public OpeSettings withReplicates(int replicates) {
        return new OpeSettings(replicates, seed, clipWeight, switchTau, coverageWarning);
    }
}
