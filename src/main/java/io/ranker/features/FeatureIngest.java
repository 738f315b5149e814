package io.ranker.features;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * Validates bulk feature rows against the schema and writes the valid ones (replacing each entity's stored
 * features). Rules: entity is item or user; id non-empty (at most 512 chars); every value names a stored feature of that
 * entity ({@code map_feature.key} for map features); numbers for float/int (integral for int), 0/1 or
 * true/false for bool, an array of numbers for vectors; NaN (JSON "NaN" or null) only where the schema allows it.
 * A row with any mistake is rejected as a whole; the others are written.
 */
public final class FeatureIngest {

    /** One reason a row was rejected; {@code pointer} is a JSON pointer relative to the batch. */
    public record Rejection(int row, String pointer, String message) {
    }

    public record Result(int accepted, List<Rejection> rejected) {
    }

    private final FeatureSchema schema;
    private final FeatureStore store;
    private final LongSupplier clock;
    private final java.util.function.Consumer<Map<String, byte[]>> afterWrite;
    private final int vectorDimension;

    public FeatureIngest(FeatureSchema schema, FeatureStore store) {
        this(schema, store, System::currentTimeMillis);
    }

    public FeatureIngest(FeatureSchema schema, FeatureStore store, LongSupplier clockMillis) {
        this(schema, store, clockMillis, written -> { });
    }

    /**
     * @param afterWrite told the keys and values once the store has them: the hydrator's hot cache takes them, so
     *                   this replica serves a write at once rather than after the cache's TTL
     */
    public FeatureIngest(FeatureSchema schema, FeatureStore store, LongSupplier clockMillis,
                         java.util.function.Consumer<Map<String, byte[]>> afterWrite) {
        this(schema, store, clockMillis, afterWrite, 0);
    }

    /**
     * @param vectorDimension the catalog's vector dimension: vector features are compared with item vectors (vector
     *                        retrieval, cosine features), so a vector of another length is refused at write time
     *                        rather than failing every later request; 0 accepts any length
     */
    public FeatureIngest(FeatureSchema schema, FeatureStore store, LongSupplier clockMillis,
                         java.util.function.Consumer<Map<String, byte[]>> afterWrite, int vectorDimension) {
        this.schema = schema;
        this.store = store;
        this.clock = clockMillis;
        this.afterWrite = afterWrite;
        this.vectorDimension = vectorDimension;
    }

    /** Validates and writes; the returned future completes when the accepted rows are stored. */
    public CompletableFuture<Result> write(List<FeatureRow> rows) {
        Map<String, byte[]> encoded = new LinkedHashMap<>();
        List<Rejection> rejected = new ArrayList<>();
        int accepted = 0;
        long now = clock.getAsLong();
        for (int i = 0; i < rows.size(); i++) {
            List<Rejection> problems = new ArrayList<>();
            StoredFeatures f = validate(i, rows.get(i), now, problems);
            if (problems.isEmpty()) {
                FeatureRow r = rows.get(i);
                String key = r.entity().equals("item") ? store.keys().item(r.id()) : store.keys().user(r.id());
                encoded.put(key, FeatureCodec.encode(f));
                accepted++;
            } else {
                rejected.addAll(problems);
            }
        }
        int n = accepted;
        return store.put(encoded).thenApply(v -> {
            afterWrite.accept(encoded);
            return new Result(n, rejected);
        });
    }

    StoredFeatures validate(int index, FeatureRow row, long now, List<Rejection> problems) {
        String at = "/" + index;
        if (row == null) {
            problems.add(new Rejection(index, at, "row is null"));
            return null;
        }
        FeatureGroup group = "item".equals(row.entity()) ? FeatureGroup.ITEM : "user".equals(row.entity()) ? FeatureGroup.USER : null;
        if (group == null) problems.add(new Rejection(index, at + "/entity", "entity must be 'item' or 'user', got " + quote(row.entity())));
        if (row.id() == null || row.id().isBlank()) problems.add(new Rejection(index, at + "/id", "id is required"));
        else if (row.id().length() > 512) problems.add(new Rejection(index, at + "/id", "id longer than 512 characters"));
        if (row.values() == null || !row.values().isObject()) {
            problems.add(new Rejection(index, at + "/values", "values must be an object of feature name to value"));
        }
        if (row.timestamp() != null && (row.timestamp() <= 0 || row.timestamp() > now + 3_600_000)) {
            problems.add(new Rejection(index, at + "/timestamp", "timestamp must be epoch millis, not in the future"));
        }
        if (!problems.isEmpty()) return null;
        Map<String, Float> scalars = new LinkedHashMap<>();
        Map<String, float[]> vectors = new LinkedHashMap<>();
        for (var it = row.values().fields(); it.hasNext(); ) {
            var e = it.next();
            String name = e.getKey();
            String p = at + "/values/" + name.replace("~", "~0").replace("/", "~1");
            int dot = name.indexOf('.');
            FeatureSpec spec = schema.feature(dot > 0 ? name.substring(0, dot) : name);
            if (spec == null || spec.group() != group) {
                problems.add(new Rejection(index, p, "unknown " + group.key() + " feature '" + name + "'"));
                continue;
            }
            if (!spec.isStored()) {
                problems.add(new Rejection(index, p, "'" + name + "' is computed (" + spec.source().kind().name().toLowerCase()
                        + "), not stored"));
                continue;
            }
            if ((spec.type() == FeatureType.MAP) != (dot > 0) || (dot > 0 && dot == name.length() - 1)) {
                problems.add(new Rejection(index, p, spec.type() == FeatureType.MAP
                        ? "map feature '" + spec.name() + "' takes keys as '" + spec.name() + ".<key>'"
                        : "'" + spec.name() + "' is not a map feature"));
                continue;
            }
            JsonNode v = e.getValue();
            if (spec.type() == FeatureType.VECTOR) {
                float[] vec = vector(v);
                if (vec == null) problems.add(new Rejection(index, p, "vector feature '" + name + "' needs an array of finite numbers"));
                else if (vectorDimension > 0 && vec.length != vectorDimension) {
                    problems.add(new Rejection(index, p, "vector feature '" + name + "' has " + vec.length
                            + " dimensions; the catalog's vectors have " + vectorDimension));
                } else vectors.put(name, vec);
                continue;
            }
            String err = null;
            float x = Float.NaN;
            if (v.isNull() || (v.isTextual() && v.asText().equals("NaN"))) {
                if (!spec.allowNan()) err = "NaN/null is not allowed for '" + name + "'";
            } else if (spec.type() == FeatureType.BOOL) {
                if (v.isBoolean()) x = v.asBoolean() ? 1 : 0;
                else if (v.isNumber() && (v.asDouble() == 0 || v.asDouble() == 1)) x = (float) v.asDouble();
                else err = "bool feature '" + name + "' needs true/false or 0/1, got " + v;
            } else if (!v.isNumber()) {
                err = spec.type().name().toLowerCase() + " feature '" + name + "' needs a number, got " + v;
            } else {
                double d = v.asDouble();
                if (!Double.isFinite(d) || Math.abs(d) > Float.MAX_VALUE) err = "'" + name + "' is out of float range";
                else if (spec.type() == FeatureType.INT && d != Math.rint(d)) err = "int feature '" + name + "' needs an integer, got " + v;
                else x = (float) d;
            }
            if (err != null) problems.add(new Rejection(index, p, err));
            else scalars.put(name, x);
        }
        if (!problems.isEmpty()) return null;
        return StoredFeatures.of(row.timestamp() != null ? row.timestamp() : now, scalars, vectors);
    }

    private static float[] vector(JsonNode v) {
        if (!v.isArray() || v.size() == 0 || v.size() > 4096) return null;
        float[] out = new float[v.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode x = v.get(i);
            if (!x.isNumber() || !Double.isFinite(x.asDouble())) return null;
            out[i] = (float) x.asDouble();
        }
        return out;
    }

    private static String quote(String s) {
        return s == null ? "nothing" : "'" + s + "'";
    }
}
