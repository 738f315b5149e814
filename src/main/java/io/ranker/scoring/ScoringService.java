package io.ranker.scoring;

import io.quarkus.scheduler.Scheduled;
import io.ranker.config.RankingSettings;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The scoring stage as a service: model registry, router, release operations and hot reload, built from
 * settings. Started explicitly by the service's startup once the feature schema is known
 * ({@link #start(List)}); until then {@link #scorerFor} serves retrieval order.
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

    public ScoringService(RankingSettings settings, ScoringSettings scoring) {
        this(settings, scoring, () -> ScoringEvaluator.JAVA);
    }

    @jakarta.inject.Inject
    public ScoringService(RankingSettings settings, ScoringSettings scoring, EvaluatorSettings evaluator) {
        this.settings = settings;
        this.scoring = scoring;
        this.evaluator = evaluator.evaluator();
        this.shadows = new ShadowScoring(scoring.shadowDeadlineMs());
    }

    /**
     * Opens {@code <data-dir>/models}, loads models.yaml and starts serving its models. Call once at startup.
     *
     * @param schemaFeatures the feature schema's names in candidate vector order (FeatureHydrator.featureNames())
     */
    public synchronized void start(List<String> schemaFeatures) {
        if (release != null) return;
        Path modelsDir = Path.of(settings.dataDir(), "models");
        ModelRegistry registry = new ModelRegistry(modelsDir, schemaFeatures, evaluator);
        Path yaml = scoring.file().map(Path::of).orElse(Path.of(settings.configDir(), "models.yaml"));
        ModelRelease r = new ModelRelease(registry, new ModelRouter(registry), yaml,
                new ModelAuditLog(modelsDir.resolve("audit.jsonl"), Clock.systemUTC()));
        r.start();
        release = r;
        LOG.infof("scoring started: %d model versions in %s, routing from %s, %s tree evaluator", registry.list().size(),
                modelsDir, yaml, evaluator.name().toLowerCase(java.util.Locale.ROOT));
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

    /** Hot reload of models.yaml. */
    @Scheduled(every = "${ranking.models.poll-interval:2s}", delay = 1, concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void pollModelsFile() {
        ModelRelease r = release;
        if (r != null) r.pollConfigFile();
    }
}
