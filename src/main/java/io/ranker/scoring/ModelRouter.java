package io.ranker.scoring;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Decides which model serves a (surface, user): canary, experiment arm or active, per models.yaml
 * ({@link ModelsConfig}). A config is applied in two steps: {@link #prepare} loads every version it
 * references (any unknown, corrupt or schema-mismatched model refuses the whole config), then
 * {@link #install} swaps it in atomically. Requests in flight keep the table they started with.
 */
public final class ModelRouter {

    /** An applied config with all its models loaded; immutable. */
    public static final class RoutingTable {
        private final ModelsConfig config;
        private final String configHash;
        private final Map<String, XgboostScorer> models;
        private final Map<String, List<XgboostScorer>> shadows = new HashMap<>();

        RoutingTable(ModelsConfig config, String configHash, Map<String, XgboostScorer> models) {
            this.config = config;
            this.configHash = configHash;
            this.models = Map.copyOf(models);
            config.surfaces().forEach((surface, s) ->
                    shadows.put(surface, s.shadow().stream().map(this.models::get).toList()));
        }

        /** The same prepared table under another name (the revisions it was committed as). */
        RoutingTable(ModelsConfig config, String configHash, RoutingTable prepared) {
            this(config, configHash, prepared.models);
        }

        public ModelsConfig config() { return config; }

        /** What this table was installed as (the store revisions; null when built in code). */
        public String configHash() { return configHash; }
    }

    private final ModelRegistry registry;
    private final AtomicReference<RoutingTable> table =
            new AtomicReference<>(new RoutingTable(ModelsConfig.EMPTY, null, Map.of()));

    public ModelRouter(ModelRegistry registry) {
        this.registry = registry;
    }

    /**
     * Loads every version the config references.
     *
     * @throws ModelRejectedException listing every version that cannot serve; nothing changes
     */
    public RoutingTable prepare(ModelsConfig config, String configHash) {
        List<String> problems = new ArrayList<>(config.problems());
        Map<String, XgboostScorer> models = new HashMap<>();
        for (String v : config.referencedVersions()) {
            if (v == null || v.isBlank()) continue;
            try {
                models.put(v, registry.scorer(v));
            } catch (ModelRejectedException e) {
                problems.add("model " + v + ": " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) throw new ModelRejectedException(problems);
        return new RoutingTable(config, configHash, models);
    }

    public void install(RoutingTable t) {
        table.set(t);
        unavailable = null;
    }

    private volatile String unavailable;

    /**
     * The routing could not be read at all (e.g. an empty routing file): nothing is routed, and requests say so
     * ({@link RoutingScorer} fails, so the response is {@code degraded}) until a routing is installed.
     */
    public void markUnavailable(String why) {
        unavailable = why;
    }

    /** Why no routing could be read, or null. */
    public String unavailable() {
        return unavailable;
    }

    /** prepare + install. */
    public void apply(ModelsConfig config) {
        install(prepare(config, null));
    }

    public RoutingTable current() {
        return table.get();
    }

    public ModelsConfig config() {
        return table.get().config();
    }

    /** The active model of a surface, or null when the surface has no model configured. */
    public XgboostScorer active(String surface) {
        RoutingTable t = table.get();
        ModelsConfig.SurfaceModels s = t.config.surfaces().get(surface);
        return s == null ? null : t.models.get(s.active());
    }

    /**
     * The route for one request, or null when the surface has no model (serve retrieval order).
     * Anonymous requests (no user id) always get the active model: without an id there is nothing to keep
     * an assignment sticky on.
     */
    public ModelRoute route(String surface, String userId) {
        RoutingTable t = table.get();
        ModelsConfig.SurfaceModels s = t.config.surfaces().get(surface);
        if (s == null) return null;
        List<XgboostScorer> shadows = t.shadows.get(surface);
        XgboostScorer active = t.models.get(s.active());
        if (userId == null || userId.isEmpty()) return new ModelRoute(surface, active, null, shadows);

        double u = UserBucketing.position(s.salt() != null ? s.salt() : surface, userId) * 100.0;
        double start = 0;
        if (s.canary() != null) {
            start += s.canary().percent();
            if (u < start) return new ModelRoute(surface, t.models.get(s.canary().version()), "canary", shadows);
        }
        for (ModelsConfig.Experiment e : s.experiments()) {
            start += e.percent() != null ? e.percent() : 100.0;
            if (u < start) {
                ModelsConfig.Arm arm = pickArm(e, userId);
                XgboostScorer model = arm.model() != null ? t.models.get(arm.model()) : active;
                return new ModelRoute(surface, model, e.name() + "/" + arm.name(), shadows);
            }
        }
        return new ModelRoute(surface, active, null, shadows);
    }

    private static ModelsConfig.Arm pickArm(ModelsConfig.Experiment e, String userId) {
        double total = 0;
        for (ModelsConfig.Arm a : e.arms()) total += a.weight();
        double x = UserBucketing.position(e.salt() != null ? e.salt() : e.name(), userId) * total;
        double acc = 0;
        for (ModelsConfig.Arm a : e.arms()) {
            acc += a.weight();
            if (x < acc) return a;
        }
        return e.arms().get(e.arms().size() - 1);
    }
}
