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
 * @param unsupportedValue per slot, the reward model's value of the target mass on (item, position) pairs the
 *                        logging policy never shows: what IPS and SNIPS cannot see, and what DR takes from the
 *                        model alone; NaN unknown
 * @param prefixCoverage  1 - (lower bound on the target probability of list prefixes the logging policy never
 *                        produces, averaged over slots): what the list-level estimator can see; NaN unknown
 * @param unsupportedPrefixValue per slot, the reward model's value of those unsupported prefixes (a lower bound on
 *                        what the list-level estimator misses); NaN unknown
 * @param unsupportedByPosition per position (index 0 = position 1), the mean target mass on items the logging
 *                        policy never shows there; empty when unknown
 * @param weakValue       per slot, the reward model's value of the target mass on weakly supported pairs (weight
 *                        above {@link ImpressionRecordSamples#WEAK_WEIGHT}); NaN unknown
 * @param weakExpectedClicks the logging policy's expected reward on those pairs over the whole log: the number of
 *                        heavy clicks an importance-weighted estimate of that value rests on; NaN unknown
 * @param weightHistogram how the unclipped item-position weights are spread ({@link WeightHistogram}'s fixed bins)
 */
public record OpeReport(Map<String, Estimate> estimates, long impressions, long slots, double loggedValue,
                        Estimate loggedValueCi, double ess, double maxWeight, double meanWeight,
                        double clippedShare, double switchedShare, double supportCoverage,
                        List<String> warnings, double unsupportedValue, double prefixCoverage,
                        double unsupportedPrefixValue, List<Double> unsupportedByPosition,
                        double weakValue, double weakExpectedClicks,
                        List<WeightHistogram.Bin> weightHistogram) {
}
