package io.ranker.scoring;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An XGBoost 3.x model written by hand, field by field as xgboost saves it, so tests can break one field
 * at a time. The default is a valid binary:logistic model over two features with one tree:
 * <pre>
 *   node 0: f0 < 0.5 ? node 1 : node 2   (missing: left)
 *   node 1: leaf -0.4
 *   node 2: f1 < 0.25 ? node 3 : node 4  (missing: right)
 *   node 3: leaf 0.2
 *   node 4: leaf 0.7
 * </pre>
 */
final class HandBuiltModel {
    static final int FEATURES = 2;

    /** Arrays xgboost stores as typed U8 or I64 arrays in UBJ (the other integer arrays are I32). */
    record U8(long[] values) {
    }

    record I64(long[] values) {
    }
    private static final JsonMapper JSON = JsonMapper.builder().disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS).build();

    long[] left = {1, -1, 3, -1, -1};
    long[] right = {2, -1, 4, -1, -1};
    long[] parents = {2147483647L, 0, 0, 2, 2};
    long[] splitIndices = {0, 0, 1, 0, 0};
    float[] splitConditions = {0.5f, -0.4f, 0.25f, 0.2f, 0.7f};
    long[] defaultLeft = {1, 0, 0, 0, 0};
    String baseScore = "[5E-1]";
    String objective = "binary:logistic";
    int numDeleted = 0;
    /** Extra trees appended as copies of the first. */
    int copies = 1;

    Map<String, Object> tree(int id) {
        int n = left.length;
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("base_weights", new float[n]);
        t.put("categories", new long[0]);
        t.put("categories_nodes", new long[0]);
        t.put("categories_segments", new I64(new long[0]));
        t.put("categories_sizes", new I64(new long[0]));
        t.put("default_left", new U8(defaultLeft));
        t.put("id", (long) id);
        t.put("left_children", left);
        t.put("loss_changes", new float[n]);
        t.put("parents", parents);
        t.put("right_children", right);
        t.put("split_conditions", splitConditions);
        t.put("split_indices", splitIndices);
        t.put("split_type", new U8(new long[n]));
        t.put("sum_hessian", new float[n]);
        t.put("tree_param", Map.of("num_deleted", String.valueOf(numDeleted), "num_feature", String.valueOf(FEATURES),
                "num_nodes", String.valueOf(n), "size_leaf_vector", "1"));
        return t;
    }

    Map<String, Object> document() {
        // xgboost keeps these three as plain (untyped) arrays, the node arrays as typed ones
        List<Object> trees = new ArrayList<>();
        List<Long> treeInfo = new ArrayList<>();
        List<Long> indptr = new ArrayList<>(List.of(0L));
        for (int i = 0; i < copies; i++) {
            trees.add(tree(i));
            treeInfo.add(0L);
            indptr.add(i + 1L);
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("gbtree_model_param", Map.of("num_parallel_tree", "1", "num_trees", String.valueOf(copies)));
        model.put("iteration_indptr", indptr);
        model.put("tree_info", treeInfo);
        model.put("trees", trees);
        Map<String, Object> learner = new LinkedHashMap<>();
        learner.put("attributes", Map.of());
        learner.put("feature_names", List.of());
        learner.put("feature_types", List.of());
        learner.put("gradient_booster", Map.of("model", model, "name", "gbtree"));
        learner.put("learner_model_param", Map.of("base_score", baseScore, "boost_from_average", "1",
                "num_class", "0", "num_feature", String.valueOf(FEATURES), "num_target", "1"));
        learner.put("objective", Map.of("name", objective, "reg_loss_param", Map.of("scale_pos_weight", "1")));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("learner", learner);
        doc.put("version", List.of(3L, 4L, 0L));
        return doc;
    }

    byte[] json() {
        try {
            return JSON.writeValueAsBytes(unwrap(document()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object unwrap(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(k, unwrap(x)));
            return out;
        }
        if (v instanceof List<?> l) return l.stream().map(HandBuiltModel::unwrap).toList();
        if (v instanceof U8 u) return u.values();
        if (v instanceof I64 i) return i.values();
        return v;
    }

    /** The same document as UBJSON, typed arrays as xgboost writes them. */
    byte[] ubj() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeUbj(document(), out);
        return out.toByteArray();
    }

    static void writeUbj(Object v, ByteArrayOutputStream out) {
        if (v instanceof Map<?, ?> m) {
            out.write('{');
            for (Map.Entry<?, ?> e : m.entrySet()) {
                writeLength(((String) e.getKey()).getBytes(StandardCharsets.UTF_8), out);
                writeUbj(e.getValue(), out);
            }
            out.write('}');
        } else if (v instanceof List<?> l) {
            out.write('[');
            out.write('#');
            out.write('L');
            writeLong(l.size(), out);
            for (Object o : l) writeUbj(o, out);
        } else if (v instanceof U8 u) {
            typedHeader('U', u.values().length, out);
            for (long x : u.values()) out.write((int) x);
        } else if (v instanceof I64 i) {
            typedHeader('L', i.values().length, out);
            for (long x : i.values()) writeLong(x, out);
        } else if (v instanceof long[] a) {
            out.write('[');
            out.write('$');
            out.write('l');
            out.write('#');
            out.write('L');
            writeLong(a.length, out);
            for (long x : a) writeInt((int) x, out);
        } else if (v instanceof float[] a) {
            out.write('[');
            out.write('$');
            out.write('d');
            out.write('#');
            out.write('L');
            writeLong(a.length, out);
            for (float x : a) writeInt(Float.floatToRawIntBits(x), out);
        } else if (v instanceof String s) {
            out.write('S');
            writeLength(s.getBytes(StandardCharsets.UTF_8), out);
        } else if (v instanceof Long x) {
            out.write('L');
            writeLong(x, out);
        } else {
            throw new IllegalArgumentException("no UBJ encoding for " + v);
        }
    }

    private static void typedHeader(char type, int n, ByteArrayOutputStream out) {
        out.write('[');
        out.write('$');
        out.write(type);
        out.write('#');
        out.write('L');
        writeLong(n, out);
    }

    private static void writeLength(byte[] bytes, ByteArrayOutputStream out) {
        out.write('L');
        writeLong(bytes.length, out);
        out.writeBytes(bytes);
    }

    private static void writeInt(int x, ByteArrayOutputStream out) {
        out.write(x >>> 24);
        out.write(x >>> 16);
        out.write(x >>> 8);
        out.write(x);
    }

    private static void writeLong(long x, ByteArrayOutputStream out) {
        writeInt((int) (x >>> 32), out);
        writeInt((int) x, out);
    }

    static byte[] manifest() {
        return new ModelManifest(List.of("f0", "f1"), "binary:logistic", "2026-11-26T00:00:00Z", null, Map.of()).toJson();
    }
}
