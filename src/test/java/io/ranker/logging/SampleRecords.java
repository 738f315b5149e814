package io.ranker.logging;

import io.ranker.core.FeatureGroupHealth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Realistic impression records for log tests. */
final class SampleRecords {
    private SampleRecords() {
    }

    static ImpressionRecord impression(String id, long ts) {
        return impression(id, ts, 0, 0, new Random(id.hashCode()));
    }

    /** A 10-item list; with {@code candidates > 0}, the candidate set with {@code features} features each. */
    static ImpressionRecord impression(String id, long ts, int candidates, int features, Random rnd) {
        List<ImpressionRecord.ShownItem> items = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            items.add(new ImpressionRecord.ShownItem("item-" + rnd.nextInt(100_000), i + 1, rnd.nextDouble() * 10,
                    rnd.nextDouble(), rnd.nextDouble(), 0.5 + rnd.nextDouble() / 2, rnd.nextDouble(),
                    Map.of("shadow-v2", rnd.nextDouble())));
        }
        List<String> names = null;
        List<ImpressionRecord.LoggedCandidate> cands = null;
        if (candidates > 0) {
            names = new ArrayList<>();
            for (int f = 0; f < features; f++) names.add("feature_" + f);
            cands = new ArrayList<>();
            for (int c = 0; c < candidates; c++) {
                float[] fv = new float[features];
                for (int f = 0; f < features; f++) fv[f] = f % 7 == 6 ? Float.NaN : rnd.nextFloat() * 100;
                Map<String, Object> attrs = new LinkedHashMap<>();
                attrs.put("category", "cat-" + rnd.nextInt(20));
                attrs.put("brand", "brand-" + rnd.nextInt(200));
                attrs.put("price", Math.round(rnd.nextDouble() * 10000) / 100.0);
                attrs.put("in_stock", rnd.nextBoolean());
                cands.add(new ImpressionRecord.LoggedCandidate("item-" + rnd.nextInt(100_000), rnd.nextDouble() * 10,
                        Map.of("bm25", new double[]{rnd.nextDouble() * 10, c + 1}), fv, attrs));
            }
        }
        return new ImpressionRecord(id, ts, "feed", "user-" + rnd.nextInt(1000), null, Map.of("device", "ios"),
                rnd.nextLong(), Map.of("model", "m-3f2a", "policy", "p-91bc", "pipeline", "pl-11", "features", "f-7d"),
                "control", "plackett-luce", true, 0, items, names, cands,
                Map.of("user", new FeatureGroupHealth(1200, 0.0)), List.of(), candidates > 0 ? 0.0123 : 0.0, List.of(),
                traceIdOf(id));
    }

    /** A W3C trace id (32 lowercase hex) derived from the impression id, as a traced request logs one. */
    static String traceIdOf(String impressionId) {
        return String.format("%016x%016x", impressionId.hashCode() * 0x9E3779B97F4A7C15L, (long) impressionId.length() + 1);
    }

    static FeedbackEvent click(String impressionId, String itemId, long ts) {
        return new FeedbackEvent(impressionId, itemId, "click", null, ts, null, ts);
    }
}
