package io.ranker.replay;

import io.ranker.replay.ope.ImpressionRecordSamples;

import java.util.HashMap;
import java.util.Map;

/**
 * The reward model q(item, position) behind DM, DR and switch-DR: a position-based click model fitted
 * progressively, q = ctr(position) * relevance(item), where ctr(position) is the smoothed mean reward at that
 * position and relevance(item) = (rewards + m) / (expected rewards + m) shrinks the item's observed rewards
 * towards its position-expected rewards (m = {@value #PRIOR} pseudo-observations).
 *
 * <p>Progressive ("online") fitting: the replay asks for predictions of an impression before it learns from
 * that impression's own rewards, so the model is independent of the reward it is a control variate for, and
 * DR stays unbiased (no cross-fitting pass needed). Memory: two doubles per distinct item seen.
 */
final class PositionRewardModel implements ImpressionRecordSamples.RewardModel {
    static final double PRIOR = 10.0;
    private static final int MAX_POSITIONS = 1000;
    private final double[] shown = new double[MAX_POSITIONS + 1];
    private final double[] rewarded = new double[MAX_POSITIONS + 1];
    private double totalShown;
    private double totalReward;
    private final Map<String, double[]> items = new HashMap<>();

    double positionCtr(int position) {
        double global = (totalReward + 1) / (totalShown + 10); // weak prior before any data
        int p = Math.min(Math.max(position, 1), MAX_POSITIONS);
        return (rewarded[p] + PRIOR * global) / (shown[p] + PRIOR);
    }

    @Override
    public double predict(String itemId, int position) {
        double base = positionCtr(position);
        double[] s = items.get(itemId);
        if (s == null) return base;
        return Math.min(1.0, base * (s[0] + PRIOR) / (s[1] + PRIOR));
    }

    /** Learns from one shown item after the impression has been evaluated. */
    void observe(String itemId, int position, double reward) {
        int p = Math.min(Math.max(position, 1), MAX_POSITIONS);
        double expected = positionCtr(p);
        shown[p]++;
        rewarded[p] += reward;
        totalShown++;
        totalReward += reward;
        double[] s = items.computeIfAbsent(itemId, k -> new double[2]);
        s[0] += reward;
        s[1] += expected;
    }
}
