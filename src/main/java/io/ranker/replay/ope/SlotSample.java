package io.ranker.replay.ope;

/**
 * One shown (item, position) of a logged impression, as the off-policy estimators see it.
 *
 * <p>Position-based ("item-position") estimators use {@code loggingPropensity} and {@code targetPropensity}:
 * the marginal probabilities, under the logging and the target (candidate) policy, that this item is shown at
 * this position for this request. The list-level cascade estimator ({@link OffPolicyEstimators#RIPS}) uses the
 * prefix probabilities: the probability of the whole shown prefix (items at positions 1..this one) under each
 * policy.
 *
 * @param position          1-based position
 * @param reward            observed reward (a click is 1, else 0; any bounded reward works)
 * @param loggingPropensity P_log(item at position), must be in (0, 1]
 * @param targetPropensity  P_target(item at position), in [0, 1]
 * @param rewardHat         reward model prediction q(x, item, position) for the logged item; NaN without a model
 * @param targetRewardHat   sum over candidates a of P_target(a at position) * q(x, a, position), the direct-method
 *                          value of this slot under the target; NaN without a model
 * @param loggingPrefixProb P_log(shown items at positions 1..position); NaN when unknown (no list estimator)
 * @param targetPrefixProb  P_target(same prefix); NaN when unknown
 */
public record SlotSample(int position, double reward, double loggingPropensity, double targetPropensity,
                         double rewardHat, double targetRewardHat,
                         double loggingPrefixProb, double targetPrefixProb) {

    /** A slot for IPS/SNIPS only (no reward model, no list probabilities). */
    public static SlotSample of(int position, double reward, double loggingPropensity, double targetPropensity) {
        return new SlotSample(position, reward, loggingPropensity, targetPropensity,
                Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    /** A slot with a reward model, for the DR family. */
    public static SlotSample withModel(int position, double reward, double loggingPropensity,
                                       double targetPropensity, double rewardHat, double targetRewardHat) {
        return new SlotSample(position, reward, loggingPropensity, targetPropensity,
                rewardHat, targetRewardHat, Double.NaN, Double.NaN);
    }

    boolean hasRewardModel() {
        return !Double.isNaN(rewardHat) && !Double.isNaN(targetRewardHat);
    }

    boolean hasPrefixProbs() {
        return !Double.isNaN(loggingPrefixProb) && !Double.isNaN(targetPrefixProb);
    }
}
