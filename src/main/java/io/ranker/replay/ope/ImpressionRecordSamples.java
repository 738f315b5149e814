package io.ranker.replay.ope;

import io.ranker.logging.ImpressionRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a logged {@link ImpressionRecord} (with its feedback) plus what the replay computed for the candidate
 * (target) policy into an {@link ImpressionSample}. The replay runs the candidate's scoring, policy and explorer
 * over the logged candidate set and exposes the result as a {@link TargetDistribution}; this class only joins it
 * with the logged propensities and rewards.
 */
public final class ImpressionRecordSamples {
    private ImpressionRecordSamples() {
    }

    /** The candidate policy's distribution over lists for one logged request. */
    public interface TargetDistribution {
        /** Candidate ids the target can show for this request (the logged candidate set). */
        List<String> candidates();

        /** P_target(item at 1-based position). */
        double marginal(String itemId, int position);

        /**
         * {@link #marginal} of {@code candidates().get(index)} (which is {@code itemId}); a target holding its
         * distribution by candidate index answers without looking the id up (the estimators ask for every
         * candidate at every shown position).
         */
        default double marginalAt(int index, String itemId, int position) {
            return marginal(itemId, position);
        }

        /** P_target(the list starts with exactly these items); NaN when the target cannot say (no RIPS). */
        default double prefixProbability(List<String> itemIds) {
            return Double.NaN;
        }
    }

    /** Reward model q(x, item, position) for the DR family (e.g. a click model fitted on other days' logs). */
    public interface RewardModel {
        double predict(String itemId, int position);
    }

    /** Whether the logging policy could show an item at a position (its propensity there is > 0). */
    public interface LoggingSupport {
        boolean supports(String itemId, int position);

        /** P_log(item at position) when known (for the weak-support diagnostics), else NaN. */
        default double probability(String itemId, int position) {
            return Double.NaN;
        }
    }

    /**
     * A target/logging weight above this makes a pair "weakly supported": the logging policy shows it so rarely that
     * an importance-weighted estimate of its value rests on a few heavy clicks (the mixture of a deterministic list and
     * a small exploration share: weights of about (1 - epsilon) / (epsilon / pool size) where the candidate's
     * deterministic list differs from the logged one).
     */
    public static final double WEAK_WEIGHT = 10.0;

    /** P_log(the shown list starts with its first k items), for the list-level estimator. */
    public interface LoggingPrefix {
        double probability(ImpressionRecord record, int k);
    }

    /**
     * Prefix probability as the product of the logged sequential choice probabilities. Right when every list of
     * the surface came from the Plackett-Luce sampler; with a mixture (exploration on part of the traffic) pass a
     * {@link LoggingPrefix} for the mixture instead.
     */
    public static final LoggingPrefix PLACKETT_LUCE_CHOICES = (record, k) -> {
        double p = 1.0;
        for (int j = 0; j < k; j++) {
            p *= record.items().get(j).choiceProb();
        }
        return p;
    };

    /**
     * @param rewardByItem reward per shown item id (clicks joined from feedback, weighted per event type); absent = 0
     * @param model        reward model, or null (then DM, DR and switch-DR are not estimated)
     * @param support      logging support, or null when unknown (then no support coverage)
     * @param prefix       logging prefix probabilities, or null (then no list-level estimate)
     */
    public static ImpressionSample from(ImpressionRecord record, Map<String, Double> rewardByItem,
                                        TargetDistribution target, RewardModel model, LoggingSupport support,
                                        LoggingPrefix prefix) {
        List<ImpressionRecord.ShownItem> shown = record.items();
        List<SlotSample> slots = new ArrayList<>(shown.size());
        List<String> prefixIds = new ArrayList<>(shown.size());
        double mass = 0, supported = 0, unsupportedValue = 0, prefixValue = 0, worstUnsupported = 0;
        double weakValue = 0, weakExpectedClicks = 0;
        double[] unsupportedMass = new double[shown.size()];
        for (int i = 0; i < shown.size(); i++) {
            ImpressionRecord.ShownItem item = shown.get(i);
            int position = item.position();
            prefixIds.add(item.id());
            double qLogged = Double.NaN, qTarget = Double.NaN;
            if (model != null) {
                qLogged = model.predict(item.id(), position);
                qTarget = 0;
            }
            List<String> candidates = target.candidates();
            double unsupportedHere = 0;
            for (int ci = 0, n = candidates.size(); ci < n; ci++) {
                String c = candidates.get(ci);
                double t = target.marginalAt(ci, c, position);
                if (t == 0) {
                    continue;
                }
                mass += t;
                double pLog = support == null ? Double.NaN : support.probability(c, position);
                boolean supportedPair = support != null && (Double.isNaN(pLog) ? support.supports(c, position) : pLog > 0);
                if (supportedPair) {
                    supported += t;
                } else {
                    unsupportedHere += t;
                }
                if (model != null) {
                    double q = model.predict(c, position);
                    qTarget += t * q;
                    if (!supportedPair) {
                        unsupportedValue += t * q;
                    } else if (t > WEAK_WEIGHT * pLog) {
                        weakValue += t * q;
                        weakExpectedClicks += pLog * q;
                    }
                }
            }
            unsupportedMass[i] = unsupportedHere;
            // a prefix 1..k holding an unsupported pair at any position up to k is unsupported itself
            worstUnsupported = Math.max(worstUnsupported, Math.min(1.0, unsupportedHere));
            if (model != null) prefixValue += worstUnsupported * qTarget;
            double logPrefix = Double.NaN, targetPrefix = Double.NaN;
            if (prefix != null) {
                logPrefix = prefix.probability(record, i + 1);
                targetPrefix = target.prefixProbability(List.copyOf(prefixIds));
            }
            slots.add(new SlotSample(position, rewardByItem.getOrDefault(item.id(), 0.0), item.propensity(),
                    target.marginal(item.id(), position), qLogged, qTarget, logPrefix, targetPrefix));
        }
        ImpressionSample.SupportGap gap = support == null ? null : new ImpressionSample.SupportGap(unsupportedMass,
                model == null ? Double.NaN : unsupportedValue, model == null ? Double.NaN : prefixValue,
                model == null ? Double.NaN : weakValue, model == null ? Double.NaN : weakExpectedClicks);
        return new ImpressionSample(record.impressionId(), slots, support == null ? Double.NaN : mass,
                support == null ? Double.NaN : supported, gap);
    }
}
