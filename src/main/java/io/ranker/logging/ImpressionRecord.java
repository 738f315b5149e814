package io.ranker.logging;

import io.ranker.core.FeatureGroupHealth;
import java.util.List;
import java.util.Map;

/**
 * One served list, as written to the impression log (format documented in the README). Field names are
 * part of the log contract: replay, training and people read them.
 *
 * @param versions   model, policy, pipeline and feature-schema versions (content hashes) served with
 * @param items      what was shown, in order
 * @param candidates the full candidate set with features as served, for a sampled fraction of traffic
 *                   (null otherwise), so replay can re-rank the request exactly
 * @param featureNames names of {@link LoggedCandidate#features()} in order (null without candidates)
 * @param featureHealth per feature group: age in ms of the oldest value used and the share missing
 * @param mcStdError largest standard error of a Monte Carlo propensity estimate ({@code mcSamples} > 0), else 0
 * @param exposureCapped candidates the explorer kept out of sampling because the surface's per-item exposure cap
 *                   was reached (sorted; omitted from the JSON when empty). The logged propensities are those of
 *                   the policy with them kept out, and replay keeps them out too, so it reproduces the list.
 * @param traceId    the W3C trace id (32 lowercase hex) the request was traced under, so an impression leads to its
 *                   trace and log lines; omitted from the JSON when the request was not traced
 */
public record ImpressionRecord(String impressionId, long timestamp, String surface, String userId,
                               String query, Map<String, String> context, long seed,
                               Map<String, String> versions, String experimentArm, String explorer,
                               boolean explored, int mcSamples, List<ShownItem> items,
                               List<String> featureNames, List<LoggedCandidate> candidates,
                               Map<String, FeatureGroupHealth> featureHealth, List<String> degraded,
                               double mcStdError,
                               @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
                               List<String> exposureCapped,
                               @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                               String traceId) {

    public ImpressionRecord {
        exposureCapped = exposureCapped == null ? List.of() : List.copyOf(exposureCapped);
    }

    /** Not traced (tracing off, or a record written before trace ids were logged). */
    public ImpressionRecord(String impressionId, long timestamp, String surface, String userId,
                            String query, Map<String, String> context, long seed,
                            Map<String, String> versions, String experimentArm, String explorer,
                            boolean explored, int mcSamples, List<ShownItem> items,
                            List<String> featureNames, List<LoggedCandidate> candidates,
                            Map<String, FeatureGroupHealth> featureHealth, List<String> degraded, double mcStdError,
                            List<String> exposureCapped) {
        this(impressionId, timestamp, surface, userId, query, context, seed, versions, experimentArm, explorer,
                explored, mcSamples, items, featureNames, candidates, featureHealth, degraded, mcStdError, exposureCapped, null);
    }

    /** Without over-exposed candidates kept out of sampling (none, or an explorer without an exposure cap). */
    public ImpressionRecord(String impressionId, long timestamp, String surface, String userId,
                            String query, Map<String, String> context, long seed,
                            Map<String, String> versions, String experimentArm, String explorer,
                            boolean explored, int mcSamples, List<ShownItem> items,
                            List<String> featureNames, List<LoggedCandidate> candidates,
                            Map<String, FeatureGroupHealth> featureHealth, List<String> degraded, double mcStdError) {
        this(impressionId, timestamp, surface, userId, query, context, seed, versions, experimentArm, explorer,
                explored, mcSamples, items, featureNames, candidates, featureHealth, degraded, mcStdError, List.of());
    }

    /** Without a Monte Carlo standard error (exact propensities). */
    public ImpressionRecord(String impressionId, long timestamp, String surface, String userId,
                            String query, Map<String, String> context, long seed,
                            Map<String, String> versions, String experimentArm, String explorer,
                            boolean explored, int mcSamples, List<ShownItem> items,
                            List<String> featureNames, List<LoggedCandidate> candidates,
                            Map<String, FeatureGroupHealth> featureHealth, List<String> degraded) {
        this(impressionId, timestamp, surface, userId, query, context, seed, versions, experimentArm, explorer,
                explored, mcSamples, items, featureNames, candidates, featureHealth, degraded, 0.0);
    }

    /** A shown item: 1-based position, per-stage scores, and its propensity under the whole serving policy. */
    public record ShownItem(String id, int position, double retrievalScore, double modelScore, double score,
                            double propensity, double choiceProb, Map<String, Double> shadowScores) {
    }

    /** A candidate as served: features in {@code featureNames} order (NaN missing) and its attributes. */
    public record LoggedCandidate(String id, double retrievalScore, Map<String, double[]> sources,
                                  float[] features, Map<String, Object> attributes) {
    }
}
