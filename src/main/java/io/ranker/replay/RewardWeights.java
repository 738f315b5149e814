package io.ranker.replay;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The reward of a shown item: the sum, over the distinct feedback types it received, of each type's weight
 * (default: a click is worth 1, everything else 0). Counting a type once per (impression, item) keeps the
 * reward bounded, which the estimators' variance needs: a double click is still one click.
 */
public record RewardWeights(Map<String, Double> weights) {
    public static final RewardWeights CLICKS = new RewardWeights(Map.of("click", 1.0));

    public RewardWeights {
        weights = Map.copyOf(weights);
        for (var e : weights.entrySet()) {
            if (!Double.isFinite(e.getValue())) {
                throw new IllegalArgumentException("reward weight of '" + e.getKey() + "' must be a finite number");
            }
        }
    }

    public double weight(String type) {
        return weights.getOrDefault(type, 0.0);
    }

    /** Parses {@code click=1,conversion=5}. */
    public static RewardWeights parse(String spec) {
        if (spec == null || spec.isBlank()) return CLICKS;
        Map<String, Double> m = new LinkedHashMap<>();
        for (String part : spec.split(",")) {
            String[] kv = part.split("=", 2);
            if (kv.length != 2 || kv[0].isBlank()) {
                throw new IllegalArgumentException("reward weights must look like click=1,conversion=5; got '" + part + "'");
            }
            m.put(kv[0].trim(), Double.parseDouble(kv[1].trim()));
        }
        return new RewardWeights(m);
    }
}
