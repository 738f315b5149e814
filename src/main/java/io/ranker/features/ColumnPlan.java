package io.ranker.features;

import io.ranker.core.Candidate;
import io.ranker.core.Item;
import io.ranker.core.RankRequest;
import io.ranker.core.SourceHit;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The feature schema compiled for hydration, once per deployment: which stored rows a request needs, and every
 * column's computation grouped by the work it needs, so that the per-candidate loops run one kind of work each
 * instead of a switch over every column. Columns that need no store reply (catalog attributes, request,
 * retrieval hits) are computed while the store answers; then the stored item columns in one tight loop (with an
 * open-addressing table from name id to column: linear in the stored row, not columns x values), then user,
 * counter and cross columns, which may read the others. Immutable and thread-safe; the per-request state is in
 * {@link UserSide}.
 */
final class ColumnPlan {
    private static final double DAY_MILLIS = 86_400_000d;

    private final FeatureSchema schema;
    /** Per column: the name id a STORE/COSINE column reads, or the numerator column of a RATIO. */
    private final int[] refA;
    /** Per column: the denominator column of a RATIO. */
    private final int[] refB;
    final boolean needsItemStore;
    final boolean needsCounters;
    final boolean needsUser;
    /** Stored item columns, and an open-addressing table name id -> column over them (see {@link #spreadItem}). */
    private final int[] itemStoreColumns;
    /** Per entry of {@link #itemStoreColumns}: the column's default and its group's ordinal (for the tally). */
    private final float[] itemStoreDefaults;
    private final int[] itemStoreGroups;
    private final int[] itemIdTable;
    private final int[] itemColTable;
    /** Columns computed without the store's reply, and those needing it other than item store columns, in evaluation order. */
    private final FeatureSpec[] independentOrder;
    private final FeatureSpec[] dependentOrder;

    ColumnPlan(FeatureSchema schema) {
        this.schema = schema;
        // item and user columns first: cross features read them
        FeatureSpec[] evalOrder = schema.columns().stream()
                .sorted(Comparator.comparingInt((FeatureSpec f) -> f.group().ordinal()))
                .toArray(FeatureSpec[]::new);
        this.refA = new int[schema.width()];
        this.refB = new int[schema.width()];
        for (FeatureSpec f : schema.columns()) {
            FeatureSource src = f.source();
            switch (src.kind()) {
                case STORE -> refA[f.column()] = f.nameId();
                case COSINE -> refA[f.column()] = FeatureCodec.nameId(src.a());
                case RATIO -> {
                    refA[f.column()] = schema.feature(src.a()).column();
                    refB[f.column()] = schema.feature(src.b()).column();
                }
                default -> { }
            }
        }
        this.needsItemStore = schema.columns().stream().anyMatch(f -> f.group() == FeatureGroup.ITEM && f.isStored());
        this.needsCounters = schema.columns().stream().anyMatch(f -> f.source().kind() == FeatureSource.Kind.COUNTER);
        this.needsUser = schema.features().stream().anyMatch(f -> f.group() == FeatureGroup.USER);
        FeatureSpec[] itemStored = schema.columns().stream()
                .filter(f -> f.group() != FeatureGroup.USER && f.source().kind() == FeatureSource.Kind.STORE)
                .toArray(FeatureSpec[]::new);
        this.itemStoreColumns = new int[itemStored.length];
        this.itemStoreDefaults = new float[itemStored.length];
        this.itemStoreGroups = new int[itemStored.length];
        for (int k = 0; k < itemStored.length; k++) {
            itemStoreColumns[k] = itemStored[k].column();
            itemStoreDefaults[k] = itemStored[k].defaultValue();
            itemStoreGroups[k] = itemStored[k].group().ordinal();
        }
        // One loop per kind of work instead of a switch over every column twice per candidate: with ~100 columns,
        // 75 of them item store values, the per-column dispatch was the hydrator's largest cost.
        this.independentOrder = Arrays.stream(evalOrder).filter(f -> switch (f.source().kind()) {
            case ATTRIBUTE, AGE_DAYS, CONTEXT_NUMBER, CONTEXT_EQUALS, QUERY, TIME, HIT -> true;
            default -> false;
        }).toArray(FeatureSpec[]::new);
        this.dependentOrder = Arrays.stream(evalOrder).filter(f -> switch (f.source().kind()) {
            case STORE -> f.group() == FeatureGroup.USER;
            case COUNTER, COSINE, RATIO, LOOKUP -> true;
            default -> false;
        }).toArray(FeatureSpec[]::new);
        int size = Integer.highestOneBit(Math.max(4, itemStoreColumns.length * 4) - 1) << 1;
        this.itemIdTable = new int[size];
        this.itemColTable = new int[size];
        Arrays.fill(itemColTable, -1);
        for (int col : itemStoreColumns) {
            int id = refA[col];
            int h = mix(id) & (size - 1);
            while (itemColTable[h] >= 0 && itemIdTable[h] != id) h = (h + 1) & (size - 1);
            if (itemColTable[h] < 0) {
                itemIdTable[h] = id;
                itemColTable[h] = col;
            }
        }
    }

    /**
     * What every candidate of one request shares once the store answered: the user's row, its stored columns and
     * the vectors its cosine columns compare with, the lookup memos, and scratch for one candidate's stored values.
     */
    final class UserSide {
        final StoredFeatures user;
        final float[] values = new float[schema.width()];
        final float[][] vectors = new float[schema.width()][];
        /** Per lookup column: attribute value -> the user's map value. */
        @SuppressWarnings("unchecked")
        final Map<String, Float>[] lookups = new Map[schema.width()];
        final float[] itemStored = new float[schema.width()];

        UserSide(StoredFeatures user) {
            this.user = user;
            for (FeatureSpec f : schema.columns(FeatureGroup.USER)) {
                values[f.column()] = user == null ? Float.NaN : user.get(refA[f.column()]);
            }
            for (FeatureSpec f : schema.columns(FeatureGroup.CROSS)) {
                if (f.source().kind() == FeatureSource.Kind.COSINE && user != null) vectors[f.column()] = user.vector(refA[f.column()]);
            }
        }
    }

    /** An item's counters decayed to {@code now}; none stored counts as zero. */
    CounterCodec.Counts counters(byte[] value, long now) {
        CounterCodec.Counts raw = value == null ? null : CounterCodec.decode(value);
        return raw == null ? new CounterCodec.Counts(0, 0, now) : raw.at(now, schema.counters().halfLifeMillis());
    }

    /** The request group's columns (context, query, time): the same for every candidate. */
    float[] requestColumns(RankRequest req, long now) {
        float[] out = new float[schema.width()];
        for (FeatureSpec f : schema.columns(FeatureGroup.REQUEST)) {
            FeatureSource s = f.source();
            float v = Float.NaN;
            switch (s.kind()) {
                case CONTEXT_NUMBER -> v = parse(req.context().get(s.a()));
                case CONTEXT_EQUALS -> {
                    String given = req.context().get(s.a());
                    v = given == null ? Float.NaN : given.equals(s.b()) ? 1f : 0f;
                }
                case QUERY -> v = s.a().equals("terms")
                        ? (req.query() == null || req.query().isBlank() ? 0 : req.query().trim().split("\\s+").length)
                        : (req.queryVector() != null ? 1 : 0);
                case TIME -> {
                    ZonedDateTime t = Instant.ofEpochMilli(now).atZone(ZoneOffset.UTC);
                    boolean hour = s.a().equals("hour_of_day");
                    float given = parse(req.context().get(hour ? "hour" : "dow"));
                    v = !Float.isNaN(given) ? given : hour ? t.getHour() : t.getDayOfWeek().getValue();
                }
                default -> { }
            }
            out[f.column()] = v;
        }
        return out;
    }

    /** Columns that need no store reply: catalog attributes, request, retrieval hits. The rest stay 0 until {@link #storeColumns}. */
    float[] independentColumns(Candidate c, float[] requestValues, long now, HealthTally tally) {
        float[] row = new float[schema.width()];
        Item item = c.item();
        Map<String, SourceHit> hits = c.hits();
        for (FeatureSpec f : independentOrder) {
            FeatureSource s = f.source();
            float v;
            switch (s.kind()) {
                case ATTRIBUTE -> v = item == null ? Float.NaN : number(item.attribute(s.a()));
                case AGE_DAYS -> {
                    Double at = item == null ? null : item.numberAttribute(s.a());
                    v = at == null ? Float.NaN : (float) ((now - at) / DAY_MILLIS);
                }
                case CONTEXT_NUMBER, CONTEXT_EQUALS, QUERY, TIME -> v = requestValues[f.column()];
                case HIT -> {
                    SourceHit hit = hits.isEmpty() ? null : hits.get(s.a());
                    v = hit == null ? Float.NaN : s.b().equals("score") ? (float) hit.score() : hit.rank();
                }
                default -> {
                    continue; // needs the store's reply
                }
            }
            tally.cell(f.group(), Float.isNaN(v));
            row[f.column()] = Float.isNaN(v) ? f.defaultValue() : v;
        }
        return row;
    }

    /**
     * Columns that need the store's reply: the item's stored values (spread into {@code itemStored} by
     * {@link #spreadItem} just before), counters, the user's columns, and cross features (they read the user and
     * the item columns). The per-request arrays come as parameters, unpacked from {@link UserSide} by the caller,
     * and the spreading is a separate call: in paired runs on the 100-column schema, passing the holder and
     * spreading in here cost about 15% more CPU per request.
     */
    void storeColumns(float[] row, Candidate c, float[] itemStored, CounterCodec.Counts counts, StoredFeatures user,
                      float[] userValues, float[][] userVectors, HealthTally tally, Map<String, Float>[] lookups) {
        Item item = c.item();
        // item store columns first (cross features such as ratios read them), in one tight loop
        int[] cols = itemStoreColumns;
        for (int k = 0; k < cols.length; k++) {
            int col = cols[k];
            float v = itemStored[col];
            boolean missing = Float.isNaN(v);
            tally.cell(itemStoreGroups[k], missing);
            row[col] = missing ? itemStoreDefaults[k] : v;
        }
        for (FeatureSpec f : dependentOrder) {
            FeatureSource s = f.source();
            float v;
            switch (s.kind()) {
                case STORE -> v = userValues[f.column()];
                case COUNTER -> v = counts == null ? Float.NaN : switch (s.a()) {
                    case "ctr" -> (float) schema.counters().smoothedCtr(counts.impressions(), counts.clicks());
                    case "impressions" -> (float) counts.impressions();
                    default -> (float) counts.clicks();
                };
                case COSINE -> v = cosine(userVectors[f.column()], item == null ? null : item.vector());
                case RATIO -> {
                    float num = row[refA[f.column()]];
                    float den = row[refB[f.column()]];
                    v = den == 0 || Float.isNaN(den) || Float.isNaN(num) ? Float.NaN : num / den;
                }
                case LOOKUP -> {
                    Map<String, Float> memo = lookups[f.column()];
                    if (memo == null) memo = lookups[f.column()] = new HashMap<>();
                    v = lookup(user, s.a(), item == null ? null : item.attribute(s.b()), memo);
                }
                default -> {
                    continue; // done in independentColumns
                }
            }
            tally.cell(f.group(), Float.isNaN(v));
            row[f.column()] = Float.isNaN(v) ? f.defaultValue() : v;
        }
    }

    /**
     * Spreads an item's stored values into {@code out} at their schema columns in one pass over the value
     * (NaN where absent). Same result as one {@link StoredFeatures#get(int)} per column (the first occurrence of
     * an id wins), but linear in the value's size rather than columns x values: with ~75 stored item columns
     * the per-column scan was the hydrator's largest cost.
     */
    void spreadItem(StoredFeatures itemF, float[] out) {
        for (int col : itemStoreColumns) out[col] = Float.NaN;
        if (itemF == null) return;
        int[] ids = itemF.ids();
        float[] values = itemF.values();
        int mask = itemIdTable.length - 1;
        for (int i = ids.length - 1; i >= 0; i--) { // backwards: the first occurrence is written last
            int id = ids[i];
            int h = mix(id) & mask;
            int col;
            while ((col = itemColTable[h]) >= 0) {
                if (itemIdTable[h] == id) {
                    out[col] = values[i];
                    break;
                }
                h = (h + 1) & mask;
            }
        }
    }

    private static int mix(int id) {
        int h = id * 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    /** The user's value of {@code map.<attribute value>}; for a list attribute (tags) the largest one present. */
    private static float lookup(StoredFeatures user, String map, Object attribute, Map<String, Float> memo) {
        if (user == null || attribute == null) return Float.NaN;
        if (!(attribute instanceof List<?> list)) return lookupOne(user, map, String.valueOf(attribute), memo);
        float best = Float.NaN;
        for (Object k : list) {
            float v = lookupOne(user, map, String.valueOf(k), memo);
            if (!Float.isNaN(v) && (Float.isNaN(best) || v > best)) best = v;
        }
        return best;
    }

    private static float lookupOne(StoredFeatures user, String map, String key, Map<String, Float> memo) {
        Float v = memo.get(key);
        if (v == null) {
            v = user.get(FeatureCodec.nameId(map + "." + key));
            memo.put(key, v);
        }
        return v;
    }

    static float cosine(float[] a, float[] b) {
        if (a == null || b == null || a.length != b.length || a.length == 0) return Float.NaN;
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? Float.NaN : (float) (dot / Math.sqrt(na * nb));
    }

    private static float number(Object o) {
        if (o instanceof Number n) return n.floatValue();
        if (o instanceof Boolean b) return b ? 1f : 0f;
        return Float.NaN;
    }

    private static float parse(String s) {
        if (s == null) return Float.NaN;
        try {
            return Float.parseFloat(s.trim());
        } catch (NumberFormatException e) {
            return Float.NaN;
        }
    }
}
