package io.ranker.api;

import io.ranker.core.FieldError;
import com.fasterxml.jackson.databind.JsonNode;
import io.ranker.catalog.CatalogIndex;
import io.ranker.catalog.ItemJson;
import io.ranker.catalog.VectorChecks;
import io.ranker.core.AttributeFilter;
import io.ranker.core.KnownNames;
import io.ranker.core.LogText;
import io.ranker.pipeline.PipelineConfig;
import io.ranker.core.RankRequest;
import io.ranker.pipeline.Surfaces;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Checks a rank request against the live surface and catalog and reports every mistake at once. */
public final class RankRequestValidator {
    static final int MAX_QUERY = 1_000;
    static final int MAX_CONTEXT = 50;
    static final int MAX_CANDIDATE_IDS = 2_000;

    private final Surfaces surfaces;
    private final CatalogIndex index;

    public RankRequestValidator(Surfaces surfaces, CatalogIndex index) {
        this.surfaces = surfaces;
        this.index = index;
    }

    public RankRequest validate(RankRequestBody body) {
        if (body == null) throw ProblemException.badRequest("", "the request body must be a JSON object");
        if (body.surface() == null || body.surface().isBlank()) {
            throw ProblemException.badRequest("/surface", "surface is required; surfaces: " + new TreeSet<>(surfaces.all().keySet()));
        }
        PipelineConfig config = surfaces.require(body.surface()).config();
        List<FieldError> errors = new ArrayList<>();
        if (body.query() != null && body.query().length() > MAX_QUERY) errors.add(FieldError.at("/query", "query is longer than " + MAX_QUERY + " characters"));
        if (body.userId() != null && body.userId().length() > 256) errors.add(FieldError.at("/userId", "userId is longer than 256 characters"));
        int limit = config.defaultLimit();
        if (body.limit() != null) {
            limit = body.limit();
            if (limit < 1 || limit > config.maxLimit()) {
                errors.add(FieldError.at("/limit", "limit must be between 1 and " + config.maxLimit() + " on surface '" + config.surface() + "', got " + limit));
            }
        }
        float[] vector = null;
        if (body.queryVector() != null && !body.queryVector().isNull()) {
            try {
                vector = VectorChecks.parse(body.queryVector(), index.dimension(), "/queryVector");
            } catch (ItemJson.InvalidItem e) {
                errors.add(FieldError.at(e.pointer(), e.getMessage()));
            }
        }
        Map<String, String> context = body.context() == null ? Map.of() : body.context();
        if (context.size() > MAX_CONTEXT) errors.add(FieldError.at("/context", "at most " + MAX_CONTEXT + " context entries"));
        context.forEach((k, v) -> {
            if (v == null) errors.add(FieldError.at("/context/" + k, "context values must be strings, not null"));
            else if (v.length() > 1_000) errors.add(FieldError.at("/context/" + k, "context value longer than 1000 characters"));
        });
        List<String> ids = body.candidateIds() == null ? List.of() : body.candidateIds();
        if (ids.size() > MAX_CANDIDATE_IDS) errors.add(FieldError.at("/candidateIds", "at most " + MAX_CANDIDATE_IDS + " candidate ids"));
        if (ids.stream().anyMatch(id -> id == null || id.isBlank())) errors.add(FieldError.at("/candidateIds", "candidate ids must be non-empty strings"));
        List<AttributeFilter> filters = filters(body.filters(), errors);
        if (!errors.isEmpty()) {
            throw new ProblemException(400, "Invalid rank request", errors.size() == 1 ? errors.get(0).message()
                    : errors.size() + " problems in the request; see errors", errors);
        }
        return new RankRequest(body.surface(), body.userId(), body.query(), vector, context, filters, limit,
                Boolean.TRUE.equals(body.explain()), ids);
    }

    private List<AttributeFilter> filters(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) return List.of();
        if (!node.isObject()) {
            errors.add(FieldError.at("/filters", "filters must be an object: {\"brand\": [\"a\"], \"price\": {\"min\": 10}}"));
            return List.of();
        }
        Map<String, CatalogIndex.AttributeType> known = index.attributeTypes();
        List<AttributeFilter> out = new ArrayList<>();
        var it = node.fields();
        while (it.hasNext()) {
            var e = it.next();
            String name = e.getKey();
            String at = "/filters/" + name;
            CatalogIndex.AttributeType type = known.get(name);
            if (type == null) {
                errors.add(FieldError.at(at, "unknown attribute '" + LogText.escape(name, 64) + "'; "
                        + KnownNames.describe(name, known.keySet(), "filterable attributes", "GET /v1/catalog/attributes")));
                continue;
            }
            JsonNode v = e.getValue();
            if (type == CatalogIndex.AttributeType.NUMBER) {
                if (v.isNumber()) {
                    out.add(AttributeFilter.range(name, v.asDouble(), v.asDouble()));
                } else if (v.isObject() && (v.has("min") || v.has("max")) && v.size() == (v.has("min") ? 1 : 0) + (v.has("max") ? 1 : 0)
                        && (!v.has("min") || v.get("min").isNumber()) && (!v.has("max") || v.get("max").isNumber())) {
                    out.add(AttributeFilter.range(name, v.has("min") ? v.get("min").asDouble() : null, v.has("max") ? v.get("max").asDouble() : null));
                } else {
                    errors.add(FieldError.at(at, "'" + name + "' is numeric: give a number or {\"min\": x, \"max\": y}"));
                }
                continue;
            }
            List<String> values = new ArrayList<>();
            if (v.isArray()) {
                for (JsonNode x : v) {
                    if (x.isValueNode() && !x.isNull()) values.add(x.asText());
                    else errors.add(FieldError.at(at, "filter values must be strings or booleans"));
                }
            } else if (v.isValueNode() && !v.isNull()) {
                values.add(v.asText());
            } else {
                errors.add(FieldError.at(at, "give a value or a list of values for '" + name + "'"));
            }
            if (values.isEmpty() && v.isArray()) errors.add(FieldError.at(at, "the list of values is empty"));
            if (!values.isEmpty()) out.add(AttributeFilter.anyOf(name, values));
        }
        return out;
    }
}
