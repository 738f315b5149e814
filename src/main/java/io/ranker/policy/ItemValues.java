package io.ranker.policy;

import io.ranker.core.Item;

import java.util.List;

/** An attribute's values as strings without the stream allocation of {@link Item#attributeValues} (hot path). */
final class ItemValues {
    private static final String[] NONE = new String[0];

    private ItemValues() {
    }

    static String[] of(Item item, String attribute) {
        if (item == null) return NONE;
        Object v = item.attributes().get(attribute);
        if (v == null) return NONE;
        if (v instanceof String s) return new String[]{s};
        if (v instanceof List<?> list) {
            String[] out = new String[list.size()];
            for (int i = 0; i < out.length; i++) out[i] = String.valueOf(list.get(i));
            return out;
        }
        return new String[]{String.valueOf(v)};
    }
}
