package io.ranker.replay.ope;

import java.util.List;
import java.util.Map;

/**
 * What an estimation run found. Values are mean reward per shown slot (a CTR when the reward is a click).
 *
 * @param estimates       by estimator name ({@link OffPolicyEstimators}); estimators whose inputs were missing
 *                        (no reward model, no prefix probabilities) are absent
 * @param impressions     impressions read
 * @param slots           shown slots read
 * @param loggedValue     mean observed reward per slot (the logging policy's on-policy value)
 * @param loggedValueCi   its 95% bootstrap interval
 * @param ess             effective sample size of the item-position weights, (sum w)^2 / sum w^2
 * @param maxWeight       largest unclipped item-position weight
 * @param meanWeight      mean item-position weight (about the target mass on logged support when all is well)
 * @param clippedShare    share of slots whose weight was clipped
 * @param switchedShare   share of slots where switch-DR used the reward model only
 * @param supportCoverage share of target mass on (item, position) pairs with logging propensity > 0; NaN unknown
 * @param warnings        readable warnings (low coverage, low ESS, clipping)
 * @param weightHistogram how the unclipped item-position weights are spread ({@link WeightHistogram}'s fixed bins)
 */
public record OpeReport(Map<String, Estimate> estimates, long impressions, long slots, double loggedValue,
                        Estimate loggedValueCi, double ess, double maxWeight, double meanWeight,
                        double clippedShare, double switchedShare, double supportCoverage,
                        List<String> warnings, List<WeightHistogram.Bin> weightHistogram) {
}
