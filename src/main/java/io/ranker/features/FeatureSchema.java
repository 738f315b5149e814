package io.ranker.features;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The feature schema ({@code ranking-config/features.yaml}): groups, features, their types, sources, defaults
 * and maximum ages. Immutable; lives for one deployment. Its {@link #version()} is the content hash of the file,
 * stamped on every impression so replay knows which columns the logged vectors had.
 */
public final class FeatureSchema {

    /** Real-time counter semantics (part of the schema because they change what {@code ctr_rt} means). */
    public record CounterSettings(double halfLifeMillis, double priorCtr, double priorStrength) {
        public static final CounterSettings DEFAULT = new CounterSettings(72 * 3_600_000d, 0.03, 50);

        /** Smoothed CTR of decayed counts: (clicks + prior * strength) / (impressions + strength). */
        public double smoothedCtr(double impressions, double clicks) {
            return (clicks + priorCtr * priorStrength) / (impressions + priorStrength);
        }
    }

    private final String version;
    private final List<FeatureSpec> all;
    private final List<FeatureSpec> columns;
    private final List<String> columnNames;
    private final Map<String, FeatureSpec> byName;
    private final Map<FeatureGroup, Duration> maxAge;
    private final Map<FeatureGroup, List<FeatureSpec>> columnsByGroup;
    private final CounterSettings counters;

    private FeatureSchema(String version, List<FeatureSpec> all, Map<FeatureGroup, Duration> maxAge, CounterSettings counters) {
        this.version = version;
        this.all = List.copyOf(all);
        this.columns = all.stream().filter(FeatureSpec::isColumn).toList();
        this.columnNames = columns.stream().map(FeatureSpec::name).toList();
        Map<String, FeatureSpec> names = new LinkedHashMap<>();
        for (FeatureSpec f : all) names.put(f.name(), f);
        this.byName = Collections.unmodifiableMap(names);
        Map<FeatureGroup, Duration> ages = new EnumMap<>(FeatureGroup.class);
        ages.putAll(maxAge);
        this.maxAge = Collections.unmodifiableMap(ages);
        Map<FeatureGroup, List<FeatureSpec>> grouped = new EnumMap<>(FeatureGroup.class);
        for (FeatureGroup g : FeatureGroup.values()) {
            grouped.put(g, columns.stream().filter(f -> f.group() == g).toList());
        }
        this.columnsByGroup = Collections.unmodifiableMap(grouped);
        this.counters = counters;
    }

    public static FeatureSchema load(Path file) throws IOException {
        return parse(Files.readAllBytes(file), file.toString());
    }

    /** Parses schema text (tests, tools); the version is the hash of exactly these bytes. */
    public static FeatureSchema parse(String yaml) {
        return parse(yaml.getBytes(StandardCharsets.UTF_8), "features.yaml");
    }

    /**
     * @throws IllegalArgumentException naming the file and the offending entry when the schema is invalid
     */
    public static FeatureSchema parse(byte[] yaml, String origin) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        } catch (IOException e) {
            throw new IllegalArgumentException(origin + ": not valid YAML: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) throw new IllegalArgumentException(origin + ": expected a mapping with 'groups'");
        try {
            return build(root, hash(yaml));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(origin + ": " + e.getMessage(), e);
        }
    }

    private static FeatureSchema build(JsonNode root, String version) {
        CounterSettings counters = CounterSettings.DEFAULT;
        JsonNode c = root.get("counters");
        if (c != null) {
            counters = new CounterSettings(
                    c.path("half_life_hours").asDouble(72) * 3_600_000d,
                    c.path("prior_ctr").asDouble(0.03),
                    c.path("prior_strength").asDouble(50));
            if (!(counters.halfLifeMillis() > 0) || counters.priorStrength() < 0 || counters.priorCtr() < 0 || counters.priorCtr() > 1) {
                throw new IllegalArgumentException("counters: half_life_hours must be > 0, prior_ctr in [0,1], prior_strength >= 0");
            }
        }
        JsonNode groups = root.get("groups");
        if (groups == null || !groups.isObject()) throw new IllegalArgumentException("'groups' must be a mapping of group name to features");
        List<FeatureSpec> specs = new ArrayList<>();
        Map<FeatureGroup, Duration> maxAge = new EnumMap<>(FeatureGroup.class);
        Map<String, FeatureSpec> seen = new HashMap<>();
        Map<Integer, String> ids = new HashMap<>();
        int column = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = groups.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> ge = it.next();
            FeatureGroup group = FeatureGroup.parse(ge.getKey());
            JsonNode g = ge.getValue();
            if (g.hasNonNull("max_age")) maxAge.put(group, parseDuration(g.get("max_age").asText(), group.key()));
            JsonNode features = g.get("features");
            if (features == null || !features.isArray()) throw new IllegalArgumentException("groups." + group.key() + ".features must be a list");
            for (int i = 0; i < features.size(); i++) {
                JsonNode f = features.get(i);
                String where = "groups." + group.key() + ".features[" + i + "]";
                String name = f.path("name").asText("");
                if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) throw new IllegalArgumentException(where + ": name '" + name + "' must match [A-Za-z_][A-Za-z0-9_]*");
                if (seen.containsKey(name)) throw new IllegalArgumentException(where + ": duplicate feature name '" + name + "'");
                FeatureType type = FeatureType.parse(f.path("type").asText("float"));
                FeatureSource source;
                try {
                    source = FeatureSource.parse(f.path("source").asText(null));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + " (" + name + "): " + e.getMessage());
                }
                if (!FeatureSource.allowedIn(source.kind(), group)) {
                    throw new IllegalArgumentException(where + " (" + name + "): source kind " + source.kind().name().toLowerCase()
                            + " is not allowed in group " + group.key());
                }
                if (!type.isColumn() && source.kind() != FeatureSource.Kind.STORE) {
                    throw new IllegalArgumentException(where + " (" + name + "): " + type.name().toLowerCase() + " features must come from the store");
                }
                float def = Float.NaN;
                if (f.hasNonNull("default")) {
                    if (!f.get("default").isNumber()) throw new IllegalArgumentException(where + " (" + name + "): default must be a number");
                    def = (float) f.get("default").asDouble();
                }
                int id = FeatureCodec.nameId(name);
                if (ids.containsKey(id)) throw new IllegalArgumentException(where + ": name id of '" + name + "' collides with '" + ids.get(id) + "'; rename one");
                ids.put(id, name);
                FeatureSpec spec = new FeatureSpec(name, group, type, source, type.isColumn() ? column++ : -1, def,
                        f.path("allow_nan").asBoolean(false), f.path("doc").asText(null), id);
                seen.put(name, spec);
                specs.add(spec);
            }
        }
        for (FeatureSpec s : specs) checkReferences(s, seen);
        return new FeatureSchema(version, specs, maxAge, counters);
    }

    private static void checkReferences(FeatureSpec s, Map<String, FeatureSpec> seen) {
        FeatureSource src = s.source();
        switch (src.kind()) {
            case COSINE -> require(s, seen.get(src.a()), FeatureGroup.USER, FeatureType.VECTOR, src.a());
            case LOOKUP -> require(s, seen.get(src.a()), FeatureGroup.USER, FeatureType.MAP, src.a());
            case RATIO -> {
                FeatureSpec num = seen.get(src.a());
                if (num == null || num.group() != FeatureGroup.ITEM || !num.isColumn()) {
                    throw new IllegalArgumentException(s.name() + ": ratio numerator '" + src.a() + "' must be an item column");
                }
                FeatureSpec den = seen.get(src.b());
                if (den == null || den.group() != FeatureGroup.USER || !den.isColumn()) {
                    throw new IllegalArgumentException(s.name() + ": ratio denominator '" + src.b() + "' must be a user column");
                }
            }
            default -> { }
        }
    }

    private static void require(FeatureSpec s, FeatureSpec ref, FeatureGroup group, FeatureType type, String name) {
        if (ref == null || ref.group() != group || ref.type() != type) {
            throw new IllegalArgumentException(s.name() + ": '" + name + "' must be a " + group.key() + " feature of type " + type.name().toLowerCase());
        }
    }

    static Duration parseDuration(String s, String group) {
        var m = java.util.regex.Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)").matcher(s.trim());
        if (!m.matches()) throw new IllegalArgumentException("groups." + group + ".max_age '" + s + "' must look like 30s, 15m, 48h or 7d");
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    private static String hash(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Content hash of the schema file (12 hex digits of SHA-256). */
    public String version() { return version; }

    /** Every feature, columns and stored-only entries, in file order. */
    public List<FeatureSpec> features() { return all; }

    /** The hydrated vector's features in order. */
    public List<FeatureSpec> columns() { return columns; }

    public List<String> columnNames() { return columnNames; }

    public int width() { return columns.size(); }

    public FeatureSpec feature(String name) { return byName.get(name); }

    public List<FeatureSpec> columns(FeatureGroup group) { return columnsByGroup.get(group); }

    /** Maximum age of a group's stored values, null when the group has none (request, retrieval, cross). */
    public Duration maxAge(FeatureGroup group) { return maxAge.get(group); }

    public CounterSettings counters() { return counters; }

    /** The stored-only features of one entity kind (what PUT /v1/features may set for it). */
    public List<FeatureSpec> stored(FeatureGroup group) {
        return all.stream().filter(f -> f.group() == group && f.isStored()).toList();
    }
}
