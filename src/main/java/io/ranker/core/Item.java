package io.ranker.core;

import java.util.List;
import java.util.Map;

/**
 * A catalog item as stored in the index: an id, two text fields that BM25 searches, typed attributes
 * (String, Double, Boolean or List&lt;String&gt; values) that filters and policy rules read, and an optional
 * embedding for vector search.
 */
public record Item(String id, String title, String text, Map<String, Object> attributes, float[] vector) {

    public Item {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    public Object attribute(String name) {
        return attributes.get(name);
    }

    /** Attribute as a list of strings: a string list as is, a scalar as a one-element list, absent as empty. */
    public List<String> attributeValues(String name) {
        Object v = attributes.get(name);
        if (v == null) return List.of();
        if (v instanceof List<?> list) return list.stream().map(String::valueOf).toList();
        return List.of(String.valueOf(v));
    }

    public Double numberAttribute(String name) {
        return attributes.get(name) instanceof Number n ? n.doubleValue() : null;
    }
}
