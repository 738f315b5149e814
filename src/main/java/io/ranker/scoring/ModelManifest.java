package io.ranker.scoring;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a model file needs to be served: its input features in column order, its objective, and where it came
 * from. Stored as {@code manifest.json} next to the model file. Written by {@code XgboostTrainer}; for a model
 * trained in Python, write it by hand:
 * <pre>{"features": ["item.ctr", "user.age", ...], "objective": "rank:ndcg", "created": "2026-11-26T04:00:00Z",
 *  "training": {"rows": 120000, "rounds": 300}}</pre>
 *
 * @param features model input columns, in the order the model was trained on (required, unique)
 * @param objective the XGBoost objective, e.g. {@code rank:ndcg} or {@code binary:logistic} (informational)
 * @param created ISO-8601 creation time (informational)
 * @param format {@code ubj} or {@code json}; detected from the model bytes when absent
 * @param training free-form training information (data, params, metrics)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelManifest(List<String> features, String objective, String created, String format,
                            Map<String, Object> training) {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    public ModelManifest {
        features = features == null ? null : List.copyOf(features);
        training = training == null ? Map.of() : Map.copyOf(training);
    }

    /** Parses and checks a manifest; every mistake is reported at once. */
    public static ModelManifest parse(byte[] json) {
        ModelManifest m;
        try {
            m = JSON.readValue(json, ModelManifest.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new ModelRejectedException("manifest.json is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ModelRejectedException("manifest.json cannot be read: " + e.getMessage());
        }
        if (m == null) throw new ModelRejectedException("manifest.json is empty");
        List<String> problems = new ArrayList<>();
        if (m.features() == null || m.features().isEmpty()) {
            problems.add("manifest.json must list the model's input features in order: \"features\": [\"name\", ...]");
        } else {
            Set<String> seen = new HashSet<>();
            for (String f : m.features()) {
                if (f == null || f.isBlank()) problems.add("manifest.json has a blank feature name");
                else if (!seen.add(f)) problems.add("manifest.json lists feature '" + f + "' twice");
            }
        }
        if (m.format() != null && !m.format().equals("ubj") && !m.format().equals("json")) {
            problems.add("manifest.json format must be 'ubj' or 'json', not '" + m.format() + "'");
        }
        if (!problems.isEmpty()) throw new ModelRejectedException(problems);
        return m;
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    ModelManifest withFormat(String f) {
        return new ModelManifest(features, objective, created, f, training);
    }
}
