package io.ranker.scoring;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ranking-config/models.yaml}: which model versions serve each surface.
 * <pre>
 * surfaces:
 *   feed:
 *     active: 3f9a0c1d2e4b5a69          # serves everyone not in a canary or experiment
 *     shadow: [8c1e0f2a9b3d4c57]        # scored on live traffic, logged, never served
 *     canary: {version: 5d2b7e9f0a1c3e48, percent: 10}
 *     experiments:
 *       - name: deeper-trees
 *         percent: 20                   # share of users in this experiment
 *         arms:
 *           - {name: control, weight: 1}                        # model defaults to active
 *           - {name: deeper, weight: 1, model: 77aa00bb11cc22dd}
 *     salt: feed-2026-11                # optional: reshuffles who lands in canary/experiments
 * </pre>
 * Users are split by a salted hash of the user id into disjoint slices: the first {@code canary.percent}
 * percent get the canary, the next {@code percent} of each experiment in turn get that experiment (arm
 * chosen by a second hash salted with the experiment's {@code salt}, default its name), the rest the active
 * model. An experiment without {@code percent} takes all remaining users (only the last may omit it).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = false)
public record ModelsConfig(Map<String, SurfaceModels> surfaces) {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
            .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    public static final ModelsConfig EMPTY = new ModelsConfig(Map.of());

    public ModelsConfig {
        surfaces = surfaces == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(surfaces));
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record SurfaceModels(String active, List<String> shadow, Canary canary, List<Experiment> experiments,
                                String salt) {
        public SurfaceModels {
            shadow = shadow == null ? List.of() : List.copyOf(shadow);
            experiments = experiments == null ? List.of() : List.copyOf(experiments);
        }

        SurfaceModels withActive(String v) {
            return new SurfaceModels(v, shadow, canary, experiments, salt);
        }
    }

    public record Canary(String version, double percent) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Experiment(String name, Double percent, String salt, List<Arm> arms) {
        public Experiment {
            arms = arms == null ? List.of() : List.copyOf(arms);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Arm(String name, double weight, String model) {
    }

    /** Parses and validates; all mistakes are reported together. */
    public static ModelsConfig parse(byte[] yaml) {
        ModelsConfig cfg;
        try {
            cfg = yaml.length == 0 ? null : YAML.readValue(yaml, ModelsConfig.class);
        } catch (JacksonException e) {
            String where = e.getLocation() != null
                    ? " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() : "";
            throw new ModelRejectedException("models.yaml is malformed" + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ModelRejectedException("models.yaml cannot be read: " + e.getMessage());
        }
        if (cfg == null) cfg = EMPTY;
        List<String> problems = cfg.problems();
        if (!problems.isEmpty()) throw new ModelRejectedException(problems);
        return cfg;
    }

    public static ModelsConfig parse(String yaml) {
        return parse(yaml.getBytes(StandardCharsets.UTF_8));
    }

    /** Structural problems (unknown versions are checked when the router loads them). */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        surfaces.forEach((name, s) -> {
            String at = "surfaces." + name;
            if (s == null) {
                p.add(at + ": is empty; it needs at least 'active: <version>'");
                return;
            }
            if (blank(s.active())) p.add(at + ".active: a model version is required");
            for (int i = 0; i < s.shadow().size(); i++) {
                if (blank(s.shadow().get(i))) p.add(at + ".shadow[" + i + "]: blank version");
            }
            double used = 0;
            if (s.canary() != null) {
                if (blank(s.canary().version())) p.add(at + ".canary.version: a model version is required");
                if (!(s.canary().percent() > 0 && s.canary().percent() <= 100)) {
                    p.add(at + ".canary.percent: must be in (0, 100], got " + s.canary().percent());
                }
                used += s.canary().percent();
            }
            Set<String> names = new HashSet<>();
            for (int i = 0; i < s.experiments().size(); i++) {
                Experiment e = s.experiments().get(i);
                String eat = at + ".experiments[" + i + "]";
                if (e == null) {
                    p.add(eat + ": is empty");
                    continue;
                }
                if (blank(e.name())) p.add(eat + ".name: required");
                else if (!names.add(e.name())) p.add(eat + ".name: '" + e.name() + "' is used twice");
                if (e.percent() == null) {
                    if (i != s.experiments().size() - 1) p.add(eat + ".percent: required (only the last experiment may take the remaining users)");
                } else if (!(e.percent() > 0 && e.percent() <= 100)) {
                    p.add(eat + ".percent: must be in (0, 100], got " + e.percent());
                } else {
                    used += e.percent();
                }
                if (e.arms().isEmpty()) p.add(eat + ".arms: at least one arm is required");
                Set<String> armNames = new HashSet<>();
                for (int j = 0; j < e.arms().size(); j++) {
                    Arm a = e.arms().get(j);
                    String aat = eat + ".arms[" + j + "]";
                    if (a == null) {
                        p.add(aat + ": is empty");
                        continue;
                    }
                    if (blank(a.name())) p.add(aat + ".name: required");
                    else if (!armNames.add(a.name())) p.add(aat + ".name: '" + a.name() + "' is used twice");
                    if (!(a.weight() > 0) || Double.isInfinite(a.weight())) p.add(aat + ".weight: must be positive, got " + a.weight());
                    if (a.model() != null && blank(a.model())) p.add(aat + ".model: blank version");
                }
            }
            if (used > 100 + 1e-9) p.add(at + ": canary and experiment percents add up to " + used + " (> 100)");
        });
        return p;
    }

    /** Every version this config references (active, shadows, canary, experiment arms). */
    public Set<String> referencedVersions() {
        Set<String> v = new java.util.LinkedHashSet<>();
        for (SurfaceModels s : surfaces.values()) {
            v.add(s.active());
            v.addAll(s.shadow());
            if (s.canary() != null) v.add(s.canary().version());
            for (Experiment e : s.experiments()) {
                for (Arm a : e.arms()) if (a.model() != null) v.add(a.model());
            }
        }
        return v;
    }

    public ModelsConfig withSurface(String surface, SurfaceModels models) {
        Map<String, SurfaceModels> m = new LinkedHashMap<>(surfaces);
        m.put(surface, models);
        return new ModelsConfig(m);
    }

    public byte[] toYaml() {
        try {
            String header = "# Model routing per surface (the models.yaml format). Versions are content hashes of uploaded models\n"
                    + "# (GET /v1/models lists them).\n";
            String body = surfaces.isEmpty() ? "surfaces: {}\n" : YAML.writeValueAsString(this);
            return (header + body).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
