package io.ranker.features;

import java.util.Locale;

/** Value type of a feature. {@code VECTOR} and {@code MAP} are stored for cross features, they are not columns. */
public enum FeatureType {
    FLOAT, INT, BOOL, VECTOR, MAP;

    public boolean isColumn() {
        return this != VECTOR && this != MAP;
    }

    public static FeatureType parse(String s) {
        try {
            return valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown feature type '" + s + "' (expected float, int, bool, vector, map)");
        }
    }
}
