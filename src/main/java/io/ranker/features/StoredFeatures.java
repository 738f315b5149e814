package io.ranker.features;

/**
 * One entity's stored features as decoded from the binary value: scalar (name id, value) pairs, named vectors,
 * and the time they were written. Scalars include map entries ("category_affinity.books").
 */
public record StoredFeatures(long writtenAtMillis, int[] ids, float[] values, int[] vectorIds, float[][] vectors) {

    public static StoredFeatures of(long writtenAtMillis, java.util.Map<String, Float> scalars, java.util.Map<String, float[]> vectors) {
        int[] ids = new int[scalars.size()];
        float[] vals = new float[scalars.size()];
        int i = 0;
        for (var e : scalars.entrySet()) {
            ids[i] = FeatureCodec.nameId(e.getKey());
            vals[i++] = e.getValue();
        }
        int[] vids = new int[vectors.size()];
        float[][] vecs = new float[vectors.size()][];
        i = 0;
        for (var e : vectors.entrySet()) {
            vids[i] = FeatureCodec.nameId(e.getKey());
            vecs[i++] = e.getValue();
        }
        return new StoredFeatures(writtenAtMillis, ids, vals, vids, vecs);
    }

    /** The value stored under this name id, NaN when absent. Linear: entities hold tens of values. */
    public float get(int nameId) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == nameId) return values[i];
        }
        return Float.NaN;
    }

    public float get(String name) {
        return get(FeatureCodec.nameId(name));
    }

    public float[] vector(int nameId) {
        for (int i = 0; i < vectorIds.length; i++) {
            if (vectorIds[i] == nameId) return vectors[i];
        }
        return null;
    }
}
