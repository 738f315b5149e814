package io.ranker.catalog;

import com.fasterxml.jackson.databind.JsonNode;

/** Validation shared by item vectors and query vectors: right dimension, finite, not all zero. */
public final class VectorChecks {
    private VectorChecks() {
    }

    public static float[] parse(JsonNode node, int dimension, String pointer) throws ItemJson.InvalidItem {
        if (!node.isArray()) throw new ItemJson.InvalidItem(pointer, "vector must be an array of " + dimension + " numbers");
        if (node.size() != dimension) {
            throw new ItemJson.InvalidItem(pointer, "vector has " + node.size() + " dimensions; this index expects " + dimension);
        }
        float[] v = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            JsonNode x = node.get(i);
            if (!x.isNumber()) throw new ItemJson.InvalidItem(pointer + "/" + i, "vector values must be numbers");
            v[i] = (float) x.asDouble();
        }
        check(v, dimension, pointer);
        return v;
    }

    public static void check(float[] v, int dimension, String pointer) throws ItemJson.InvalidItem {
        if (v.length != dimension) {
            throw new ItemJson.InvalidItem(pointer, "vector has " + v.length + " dimensions; this index expects " + dimension);
        }
        boolean nonZero = false;
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) throw new ItemJson.InvalidItem(pointer + "/" + i, "vector values must be finite (no NaN or Infinity)");
            nonZero |= v[i] != 0f;
        }
        if (!nonZero) throw new ItemJson.InvalidItem(pointer, "vector must not be all zeros (cosine similarity is undefined)");
    }
}
