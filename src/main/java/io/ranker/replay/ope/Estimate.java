package io.ranker.replay.ope;

/**
 * A point estimate with its 95% percentile bootstrap interval.
 *
 * @param value estimate on the full data (mean reward per shown slot under the target policy)
 * @param lo    2.5% bootstrap percentile
 * @param hi    97.5% bootstrap percentile
 */
public record Estimate(double value, double lo, double hi) {

    public boolean covers(double truth) {
        return lo <= truth && truth <= hi;
    }
}
