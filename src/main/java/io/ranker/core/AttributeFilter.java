package io.ranker.core;

import java.util.List;

/**
 * A retrieval pre-filter on one item attribute. Exactly one of the forms is set:
 * {@code values} (attribute equals any of them), or a numeric range {@code min}..{@code max} (inclusive,
 * either bound optional).
 */
public record AttributeFilter(String attribute, List<String> values, Double min, Double max) {
    public static AttributeFilter anyOf(String attribute, List<String> values) {
        return new AttributeFilter(attribute, List.copyOf(values), null, null);
    }

    public static AttributeFilter range(String attribute, Double min, Double max) {
        return new AttributeFilter(attribute, null, min, max);
    }

    public boolean isRange() { return values == null; }
}
