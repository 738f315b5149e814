package io.ranker.replay.ope;

import java.util.List;

/**
 * One logged impression (a served list) for the estimators. The bootstrap resamples whole impressions, so
 * correlations between the slots of one list are respected.
 *
 * @param recordId            the caller's name for the record (impression id, CSV row); used in error messages
 * @param slots               the shown slots, in position order
 * @param targetMass          total target probability mass over all (candidate, position) pairs of this request
 *                            for the positions shown (usually the number of slots); NaN when unknown
 * @param supportedTargetMass the part of {@code targetMass} on (candidate, position) pairs that the logging policy
 *                            could show (logging propensity > 0); NaN when unknown
 * @param gap                 where the target goes that the logging policy never does (null when unknown)
 */
public record ImpressionSample(String recordId, List<SlotSample> slots, double targetMass,
                               double supportedTargetMass, SupportGap gap) {

    /**
     * The target's mass the logging policy cannot show, for the estimators' assumption checks.
     *
     * @param unsupportedMass  per shown slot (position order): target mass at that position on items the logging
     *                         policy never shows there
     * @param unsupportedValue the reward model's value of that mass, sum over slots k and candidates a with
     *                         P_log(a at k) = 0 of P_target(a at k) q(a, k): what item-position IPS and SNIPS never
     *                         see, and what DR takes from the model alone (NaN without a reward model)
     * @param unsupportedPrefixValue for the list-level (cascade) estimator, sum over slots k of U_k qT_k, where U_k,
     *                         the largest unsupported mass at any position 1..k, is a lower bound on the target
     *                         probability of prefixes 1..k the logging policy never produces (NaN without a model)
     * @param weakValue        the reward model's value of the target mass on weakly supported pairs (target/logging
     *                         weight above {@link ImpressionRecordSamples#WEAK_WEIGHT}; NaN without a model)
     * @param weakExpectedClicks the reward the logging policy is expected to collect on those pairs: how many heavy
     *                         clicks an importance-weighted estimate of their value gets to see (NaN without a model)
     */
    public record SupportGap(double[] unsupportedMass, double unsupportedValue, double unsupportedPrefixValue,
                             double weakValue, double weakExpectedClicks) {
    }

    public ImpressionSample {
        slots = List.copyOf(slots);
    }

    /** Without the support gap. */
    public ImpressionSample(String recordId, List<SlotSample> slots, double targetMass, double supportedTargetMass) {
        this(recordId, slots, targetMass, supportedTargetMass, null);
    }

    /** An impression without support information. */
    public static ImpressionSample of(String recordId, List<SlotSample> slots) {
        return new ImpressionSample(recordId, slots, Double.NaN, Double.NaN);
    }
}
