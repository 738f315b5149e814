package io.ranker.core;

/**
 * How fresh and complete one feature group's values were for a request, as the hydrator saw them: the age of
 * the oldest value used and the share of values missing. Logged with every impression.
 */
public record FeatureGroupHealth(long maxAgeMillis, double missingShare) {
}
