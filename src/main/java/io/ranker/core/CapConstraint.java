package io.ranker.core;

/** At most {@code maxPerValue} items sharing a value of {@code attribute} among the first {@code topK} positions. */
public record CapConstraint(String rule, String attribute, int maxPerValue, int topK) {
}
