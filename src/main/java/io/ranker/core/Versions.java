package io.ranker.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The versions one request was served with (content hashes, or a name where there is no file), stamped on the
 * response and the impression. Each is null until the stage that owns it ran.
 *
 * @param pipeline the surface's pipeline file
 * @param features the feature schema
 * @param model    the model that scored this request: the active one, a canary or an experiment arm's ({@code none}
 *                 without a model); when it failed, {@code degraded} names it and the list is in retrieval order
 * @param policy   the rule set
 * @param explorer the explorer that decided the shown list, as it decided ({@code none(kill-switch)} when the
 *                 kill switch was engaged)
 */
public record Versions(String pipeline, String features, String model, String policy, String explorer) {
    public static final Versions NONE = new Versions(null, null, null, null, null);

    /** The log's and the explain output's form: {@code {pipeline, features, model, policy, explorer}}, unset ones left out. */
    public Map<String, String> asMap() {
        Map<String, String> m = new LinkedHashMap<>(8);
        if (pipeline != null) m.put("pipeline", pipeline);
        if (features != null) m.put("features", features);
        if (model != null) m.put("model", model);
        if (policy != null) m.put("policy", policy);
        if (explorer != null) m.put("explorer", explorer);
        return Collections.unmodifiableMap(m);
    }

    /** Reads the log's form back; unknown keys are ignored, a null map gives {@link #NONE}. */
    public static Versions of(Map<String, String> map) {
        if (map == null) return NONE;
        return new Versions(map.get("pipeline"), map.get("features"), map.get("model"), map.get("policy"), map.get("explorer"));
    }

    public Versions withPipeline(String v) { return new Versions(v, features, model, policy, explorer); }

    public Versions withFeatures(String v) { return new Versions(pipeline, v, model, policy, explorer); }

    public Versions withModel(String v) { return new Versions(pipeline, features, v, policy, explorer); }

    public Versions withPolicy(String v) { return new Versions(pipeline, features, model, v, explorer); }

    public Versions withExplorer(String v) { return new Versions(pipeline, features, model, policy, v); }
}
