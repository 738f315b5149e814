package io.ranker.features;

/**
 * One feature of the schema.
 *
 * @param column       index in the hydrated vector, -1 for stored-only entries (vector, map)
 * @param source       where the value comes from (see {@link FeatureSource})
 * @param defaultValue used when the value is missing; NaN when the schema names no default
 * @param allowNan     whether a write may carry NaN for this feature
 * @param nameId       the id the binary encoding stores instead of the name ({@link FeatureCodec#nameId})
 */
public record FeatureSpec(String name, FeatureGroup group, FeatureType type, FeatureSource source, int column,
                          float defaultValue, boolean allowNan, String doc, int nameId) {

    public boolean isColumn() {
        return column >= 0;
    }

    /** Whether writes (PUT /v1/features, features load, seeding) may set this feature. */
    public boolean isStored() {
        return source.kind() == FeatureSource.Kind.STORE;
    }
}
