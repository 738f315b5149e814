package io.ranker.scoring;

import io.quarkus.scheduler.Scheduled;
import io.ranker.config.RankingSettings;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The scoring stage as a service: model registry, router, release operations and following the routing store,
 * built from settings. Started explicitly by the service's startup once the feature schema is known
 * ({@link #start(List)}); until then {@link #scorerFor} serves retrieval order. The live routing lives in the
 * {@link ModelStores} the state configuration provides (the data directory, or the shared store);
 * {@code ranking.models.file} (default {@code <config-dir>/models.yaml}) only seeds surfaces that have none.
 */
@ApplicationScoped
public class ScoringService {
    private static final Logger LOG = Logger.getLogger(ScoringService.class);

    private final RankingSettings settings;
    private final ScoringSettings scoring;
    private final ScoringEvaluator evaluator;
    private final ShadowScoring shadows;
    private final Map<String, RoutingScorer> scorers = new ConcurrentHashMap<>();
    private volatile ModelRelease release;
    /** Router used before start(): no surfaces, so every surface serves retrieval order. */
    private final ModelRouter emptyRouter = new ModelRouter(null);

    private final ModelStores stores;

    /** Single node: the release state under the data directory. */
    public ScoringService(RankingSettings settings, ScoringSettings scoring) {
        this(settings, scoring, ScoringEvaluator.JAVA, ModelStores.local(Clock.systemUTC()));
    }

    @jakarta.inject.Inject
    public ScoringService(RankingSettings settings, ScoringSettings scoring, EvaluatorSettings evaluator,
                          jakarta.enterprise.inject.Instance<ModelStores> stores) {
        this(settings, scoring, evaluator.evaluator(), stores.isResolvable() ? stores.get() : ModelStores.local(Clock.systemUTC()));
    }

    public ScoringService(RankingSettings settings, ScoringSettings scoring, ScoringEvaluator evaluator, ModelStores stores) {
        this.settings = settings;
        this.scoring = scoring;
        this.evaluator = evaluator;
        this.stores = stores;
        this.shadows = new ShadowScoring(scoring.shadowDeadlineMs());
    }

    /**
     * Opens {@code <data-dir>/models}, loads the routing, seeds the surfaces it lacks from {@code ranking.models.file}
     * and starts serving. Call once at startup. With a shared store that cannot be reached, it starts with nothing
     * routed and {@link ModelRelease#sync} loads the routing once the store answers.
     *
     * @param schemaFeatures the feature schema's names in candidate vector order (FeatureHydrator.featureNames())
     */
    public synchronized void start(List<String> schemaFeatures) {
        if (release != null) return;
        Path modelsDir = Path.of(settings.dataDir(), "models");
        ModelRegistry registry = new ModelRegistry(modelsDir, schemaFeatures, evaluator, stores.artifacts());
        RoutingStore routing = stores.routing(modelsDir);
        ModelRelease r = new ModelRelease(registry, new ModelRouter(registry), routing, Clock.systemUTC());
        try {
            r.start();
            seed(r);
        } catch (RuntimeException e) {
            // the shared store is unreachable: serve what there is; sync() loads the routing (and seeds) later
            LOG.warnf("model routing not loaded yet (%s); it is loaded as soon as the store answers", e.getMessage());
        }
        release = r;
        LOG.infof("scoring started: model files in %s, routing %s, seed %s, %s tree evaluator", modelsDir, routing.describe(),
                seedFile(), evaluator.name().toLowerCase(java.util.Locale.ROOT));
    }

    /** Whether the routing seed was applied (once, the first time the store answered). */
    private volatile boolean seeded;

    private void seed(ModelRelease r) {
        Path seed = seedFile();
        if (Files.isRegularFile(seed)) {
            try {
                List<String> seeded = r.seed(ModelsConfig.parse(Files.readAllBytes(seed)), seed.toString());
                if (!seeded.isEmpty()) LOG.infof("model routing of %s seeded from %s", seeded, seed);
            } catch (ModelRejectedException | java.io.IOException e) {
                LOG.errorf("model routing: cannot seed from %s: %s", seed, e.getMessage());
            }
        }
        seeded = true;
    }

    /**
     * Follows the routing store (the state watcher calls it on every change); the first time the store answers after a
     * start it could not reach, it also applies the routing seed.
     */
    public void sync() {
        ModelRelease r = release();
        r.sync();
        if (!seeded) seed(r);
    }

    /** {@code ranking.models.file}, default {@code <config-dir>/models.yaml}: seeds the routing, never written. */
    public Path seedFile() {
        return scoring.file().map(Path::of).orElse(Path.of(settings.configDir(), "models.yaml"));
    }

    /** The scorer of a surface; follows promotions, rollbacks and reloads without being rebuilt. */
    public RoutingScorer scorerFor(String surface) {
        return scorers.computeIfAbsent(surface, s -> new RoutingScorer(this::router, s, shadows));
    }

    public ModelRouter router() {
        ModelRelease r = release;
        return r == null ? emptyRouter : r.router();
    }

    public boolean started() {
        return release != null;
    }

    /** @throws IllegalStateException before {@link #start} */
    public ModelRelease release() {
        ModelRelease r = release;
        if (r == null) throw new IllegalStateException("scoring has not started yet");
        return r;
    }

    public Map<String, Long> shadowStats() {
        return shadows.stats();
    }

    /** Single node: picks up hand edits of {@code <data-dir>/models/routing.yaml} (the state watcher does it otherwise). */
    @Scheduled(every = "${ranking.models.poll-interval:2s}", delay = 1, concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void pollRoutingFile() {
        ModelRelease r = release;
        if (r != null && !r.store().shared()) r.sync();
    }
}
