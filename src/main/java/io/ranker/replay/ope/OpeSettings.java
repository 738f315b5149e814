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

    /**
     * For replays of the service's logs: switch-DR uses the reward model alone wherever the weight exceeds
     * {@link ImpressionRecordSamples#WEAK_WEIGHT}. A mixture's deterministic share makes weights of ~100 common
     * (the candidate's deterministic item where the logging policy only explores), and there the importance-weighted
     * correction is a sum of many small negative terms and a few rare large positive ones that a log of this size
     * mostly does not hold: its mean is zero, its realised value is not (issue 19).
     */
    public static OpeSettings forReplay(int replicates) {
        return defaults().withReplicates(replicates).withSwitchTau(ImpressionRecordSamples.WEAK_WEIGHT);
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
