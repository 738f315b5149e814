package io.ranker.pipeline;

import io.ranker.core.AttributeFilter;
import io.ranker.retrieval.SourceSettings;
import io.ranker.retrieval.SourceType;
import io.ranker.retrieval.SourceTypes;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.yaml.snakeyaml.LoaderOptions;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses and validates a pipeline file. Every mistake is reported with where it is, so a data scientist can
 * fix the file without reading code; an invalid file never replaces a live pipeline.
 */
public final class PipelineConfigParser {
    private static final Set<String> TOP_LEVEL = Set.of("surface", "description", "limit", "sources", "fusion",
            "budgets", "filters", "minCandidates", "explorer", "features", "scoring", "logging");
    /** Keys every source takes; the rest belong to its type. */
    private static final Set<String> SOURCE_KEYS = Set.of("name", "type", "limit", "weight", "fallback");
    private static final ObjectMapper YAML;

    static {
        LoaderOptions limits = new LoaderOptions();
        limits.setMaxAliasesForCollections(20);
        limits.setNestingDepthLimit(30);
        limits.setCodePointLimit(1_000_000);
        YAML = new ObjectMapper(YAMLFactory.builder().loaderOptions(limits).build());
    }

    public static final class InvalidPipeline extends Exception {
        private final List<String> errors;

        public InvalidPipeline(List<String> errors) {
            super(String.join("; ", errors));
            this.errors = List.copyOf(errors);
        }

        public List<String> errors() { return errors; }
    }

    private PipelineConfigParser() {
    }

    @SuppressWarnings("unchecked")
    public static PipelineConfig parse(String surface, byte[] yaml) throws InvalidPipeline {
        Map<String, Object> raw;
        try {
            Object tree = YAML.readValue(yaml, Object.class);
            if (!(tree instanceof Map)) throw new InvalidPipeline(List.of("the file must be a YAML mapping"));
            raw = (Map<String, Object>) tree;
        } catch (JsonProcessingException e) {
            throw new InvalidPipeline(List.of("YAML: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")" : "")));
        } catch (java.io.IOException e) {
            throw new InvalidPipeline(List.of("cannot read: " + e.getMessage()));
        }
        List<String> errors = new ArrayList<>();
        for (String k : raw.keySet()) if (!TOP_LEVEL.contains(k)) errors.add("unknown key '" + k + "' (known: " + TOP_LEVEL + ")");
        if (raw.containsKey("surface") && !surface.equals(raw.get("surface"))) {
            errors.add("surface '" + raw.get("surface") + "' does not match the file name '" + surface + ".yaml'");
        }
        Map<String, Object> limit = map(raw.get("limit"), "limit", errors);
        int defaultLimit = intOf(limit.getOrDefault("default", 10), "limit.default", 1, 1000, errors);
        int maxLimit = intOf(limit.getOrDefault("max", 100), "limit.max", 1, 1000, errors);
        if (defaultLimit > maxLimit) errors.add("limit.default " + defaultLimit + " exceeds limit.max " + maxLimit);

        List<PipelineConfig.SourceConfig> sources = new ArrayList<>();
        Object rawSources = raw.get("sources");
        if (!(rawSources instanceof List<?> list) || list.isEmpty()) {
            errors.add("sources: at least one source is required");
        } else {
            Set<String> names = new java.util.HashSet<>();
            for (int i = 0; i < list.size(); i++) {
                PipelineConfig.SourceConfig sc = source(list.get(i), "sources[" + i + "]", errors);
                if (sc != null && !names.add(sc.name())) errors.add("sources[" + i + "]: duplicate source name '" + sc.name() + "'");
                if (sc != null) sources.add(sc);
            }
        }
        Map<String, Object> fusion = map(raw.get("fusion"), "fusion", errors);
        String fusionType = String.valueOf(fusion.getOrDefault("type", "rrf"));
        if (!fusionType.equals("rrf")) errors.add("fusion.type: only 'rrf' (reciprocal rank fusion) is supported");
        int k = intOf(fusion.getOrDefault("k", 60), "fusion.k", 1, 10_000, errors);

        Map<String, Object> budgets = map(raw.get("budgets"), "budgets", errors);
        var b = new PipelineConfig.Budgets(
                intOf(budgets.getOrDefault("retrievalMs", 50), "budgets.retrievalMs", 1, 60_000, errors),
                intOf(budgets.getOrDefault("featuresMs", 20), "budgets.featuresMs", 1, 60_000, errors),
                intOf(budgets.getOrDefault("scoringMs", 30), "budgets.scoringMs", 1, 60_000, errors),
                intOf(budgets.getOrDefault("totalMs", 150), "budgets.totalMs", 1, 60_000, errors));

        List<AttributeFilter> filters = new ArrayList<>();
        Object rawFilters = raw.get("filters");
        if (rawFilters != null) {
            if (!(rawFilters instanceof List<?> fl)) errors.add("filters must be a list");
            else for (int i = 0; i < fl.size(); i++) {
                AttributeFilter f = filter(fl.get(i), "filters[" + i + "]", errors);
                if (f != null) filters.add(f);
            }
        }
        int minCandidates = intOf(raw.getOrDefault("minCandidates", defaultLimit), "minCandidates", 0, 100_000, errors);
        Map<String, Object> explorer = map(raw.get("explorer"), "explorer", errors);
        io.ranker.explore.ExplorerConfigParser.parse(explorer, errors);
        if (!errors.isEmpty()) throw new InvalidPipeline(errors);
        return new PipelineConfig(surface, hash(yaml), defaultLimit, maxLimit, List.copyOf(sources),
                new PipelineConfig.Fusion(fusionType, k), b, List.copyOf(filters), minCandidates, explorer, raw);
    }

    @SuppressWarnings("unchecked")
    private static PipelineConfig.SourceConfig source(Object o, String at, List<String> errors) {
        if (!(o instanceof Map<?, ?> m0)) {
            errors.add(at + ": a source must be a mapping");
            return null;
        }
        Map<String, Object> m = (Map<String, Object>) m0;
        SourceType<?> type = SourceTypes.named(String.valueOf(m.get("type")));
        if (type == null) {
            errors.add(at + ".type: '" + m.get("type") + "' is not a source type (" + SourceTypes.names() + ")");
            return null;
        }
        String name = String.valueOf(m.getOrDefault("name", type.name()));
        int limit = intOf(m.getOrDefault("limit", 200), at + ".limit", 1, 10_000, errors);
        boolean fallback = Boolean.TRUE.equals(m.get("fallback"));
        double weight = m.getOrDefault("weight", 1.0) instanceof Number n ? n.doubleValue() : -1;
        if (weight < 0) errors.add(at + ".weight: must be a non-negative number");
        SourceSettings settings = new SourceSettings(m, at, errors);
        settings.rejectUnknown(SOURCE_KEYS, type.keys());
        return new PipelineConfig.SourceConfig(name, limit, fallback, weight, type.read(settings));
    }

    @SuppressWarnings("unchecked")
    private static AttributeFilter filter(Object o, String at, List<String> errors) {
        if (!(o instanceof Map<?, ?> m0)) {
            errors.add(at + ": a filter is a mapping with attribute and values, or attribute and min/max");
            return null;
        }
        Map<String, Object> m = (Map<String, Object>) m0;
        Object attr = m.get("attribute");
        if (!(attr instanceof String a) || a.isBlank()) {
            errors.add(at + ".attribute is required");
            return null;
        }
        if (m.containsKey("values")) {
            Object v = m.get("values");
            List<String> values = v instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of(String.valueOf(v));
            return AttributeFilter.anyOf(a, values);
        }
        Double min = m.get("min") instanceof Number n ? n.doubleValue() : null;
        Double max = m.get("max") instanceof Number n ? n.doubleValue() : null;
        if (min == null && max == null) {
            errors.add(at + ": give values, or min and/or max");
            return null;
        }
        return AttributeFilter.range(a, min, max);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o, String at, List<String> errors) {
        if (o == null) return Map.of();
        if (o instanceof Map<?, ?> m) return (Map<String, Object>) m;
        errors.add(at + " must be a mapping");
        return Map.of();
    }

    private static int intOf(Object o, String at, int min, int max, List<String> errors) {
        if (o instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && n.intValue() >= min && n.intValue() <= max) {
            return n.intValue();
        }
        errors.add(at + ": expected a whole number from " + min + " to " + max + ", got '" + o + "'");
        return min;
    }

    public static String hash(byte[] content) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(content);
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String hash(String content) {
        return hash(content.getBytes(StandardCharsets.UTF_8));
    }
}
