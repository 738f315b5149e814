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
 */
public record ImpressionSample(String recordId, List<SlotSample> slots, double targetMass,
                               double supportedTargetMass) {

    public ImpressionSample {
        slots = List.copyOf(slots);
    }

    /** An impression without support information. */
    public static ImpressionSample of(String recordId, List<SlotSample> slots) {
        return new ImpressionSample(recordId, slots, Double.NaN, Double.NaN);
    }
}
