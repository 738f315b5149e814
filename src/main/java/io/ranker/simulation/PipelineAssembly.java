package io.ranker.simulation;

import io.ranker.catalog.CatalogIndex;
import io.ranker.core.Item;
import io.ranker.explore.ExplorerConfig;
import io.ranker.explore.ExplorerConfigParser;
import io.ranker.features.FeatureMetrics;
import io.ranker.features.FeatureSchema;
import io.ranker.features.InMemoryFeatureStore;
import io.ranker.features.StoreFeatureHydrator;
import io.ranker.logging.ImpressionLog;
import io.ranker.logging.ImpressionRecord;
import io.ranker.logging.LogConfig;
import io.ranker.logging.SegmentImpressionLog;
import io.ranker.pipeline.AppendImpression;
import io.ranker.pipeline.ImpressionRecordBuilder;
import io.ranker.pipeline.RecordSeenItems;
import io.ranker.pipeline.PipelineConfig;
import io.ranker.pipeline.PipelineConfigParser;
import io.ranker.pipeline.RankingPipeline;
import io.ranker.pipeline.SurfaceFactory;
import io.ranker.pipeline.Surfaces;
import io.ranker.policy.CompiledPolicy;
import io.ranker.policy.InMemorySeenItems;
import io.ranker.policy.PolicyParser;
import io.ranker.policy.ValidationLimits;
import io.ranker.scoring.ModelRegistry;
import io.ranker.core.Scorer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The serving pipeline assembled with plain constructors, as {@code RankerRuntime} does with CDI: a Lucene catalog
 * index seeded with the world's catalog, the in-memory feature store seeded with the world's features, the store feature
 * hydrator, an XGBoost scorer (swappable), a compiled rule set, the explorer, and the service's side effects but one:
 * the impression log append and the seen history (what an {@code exclude_seen} rule reads). The real-time counters
 * are left out on purpose: the world's served features must stay fixed, or the true value of a policy (computed from
 * them) would drift while the logs are written.
 * One surface ({@link #SURFACE}) with a small candidate set (at most 12, so every propensity is exact).
 */
public final class PipelineAssembly implements AutoCloseable {
    public static final String SURFACE = "sim";

    private final Path dataDir;
    private final CatalogIndex index;
    private final SimulatedWorld world;
    private final List<String> userIds;
    private final StoreFeatureHydrator hydrator;
    private final TapExplorer explorer;
    private final ModelRegistry models;
    private final ExecutorService retrievalPool;
    private final RankingPipeline pipeline;
    /** Replaced by {@link #startLog}: each simulated run writes a log directory of its own. */
    private volatile SegmentImpressionLog log;
    /** Replaced by {@link #useScorer}: the model of the next requests; null = retrieval order. */
    private volatile Scorer scorer;

    private PipelineAssembly(Path dataDir, Path configDir, SimulatedWorld world, Map<String, Object> explorerYaml)
            throws IOException, PipelineConfigParser.InvalidPipeline {
        this.dataDir = dataDir;
        this.world = world;
        this.userIds = world.users().stream().map(SimulatedWorld.User::id).toList();
        Files.createDirectories(dataDir);
        index = new CatalogIndex(dataDir.resolve("index"), world.dimension(), "cosine", 1000);
        if (index.size() == 0) {
            index.upsert(world.items());
            index.refresh();
        }

        FeatureSchema schema = FeatureSchema.load(configDir.resolve("features.yaml"));
        InMemoryFeatureStore store = new InMemoryFeatureStore();
        world.seedFeatures(schema, store);
        hydrator = new StoreFeatureHydrator(schema, store, StoreFeatureHydrator.Settings.DEFAULT, FeatureMetrics.NONE);

        explorer = new TapExplorer(ExplorerConfigParser.parse(explorerYaml, "/explorer"));
        retrievalPool = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "sim-retrieval");
            t.setDaemon(true);
            return t;
        });
        PipelineConfig cfg = PipelineConfigParser.parse(SURFACE, world.pipelineYaml().getBytes(StandardCharsets.UTF_8));
        Surfaces surfaces = new Surfaces();
        surfaces.replace(Map.of(SURFACE, new SurfaceFactory(index, hydrator, retrievalPool, c -> explorer).build(cfg)));

        InMemorySeenItems seen = new InMemorySeenItems(100);
        PolicyParser.Result parsed = new PolicyParser(ValidationLimits.DEFAULT, seen).parse(world.policyYaml());
        if (!parsed.valid()) throw new IllegalStateException("simulator policy invalid: " + parsed.errors());
        CompiledPolicy policy = new CompiledPolicy(parsed.policy().version(), parsed.policy().rules(), Clock.systemUTC());

        log = new SegmentImpressionLog(LogConfig.defaults(dataDir.resolve("logs")).withFsyncInterval(Duration.ofSeconds(5)));
        models = new ModelRegistry(dataDir.resolve("models"), hydrator.featureNames());
        ImpressionLog currentLog = new ImpressionLog() {
            @Override
            public boolean append(ImpressionRecord record) { return log.append(record); }

            @Override
            public boolean healthy() { return log.healthy(); }
        };
        pipeline = RankingPipeline.builder()
                .surfaces(surfaces)
                .hydrator(hydrator)
                .scorers(ctx -> scorer)
                .policies(ctx -> policy)
                .sideEffect(new AppendImpression(currentLog, new ImpressionRecordBuilder(1.0, Set.of("category", "brand"))))
                .sideEffect(new RecordSeenItems(seen))
                .build();
    }

    /**
     * @param dataDir    index, models and impression log go here ({@code index/}, {@code models/}, {@code logs/})
     * @param configDir  {@code ranking-config} (for {@code features.yaml})
     * @param world      catalog, users, served features and the known truth
     * @param explorerYaml the surface's {@code explorer:} section as a map (the logging policy)
     */
    public static PipelineAssembly build(Path dataDir, Path configDir, SimulatedWorld world,
                                         Map<String, Object> explorerYaml) {
        try {
            return new PipelineAssembly(dataDir, configDir, world, explorerYaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (PipelineConfigParser.InvalidPipeline e) {
            throw new IllegalStateException("simulator pipeline invalid: " + e.getMessage(), e);
        }
    }

    public RankingPipeline pipeline() { return pipeline; }

    public CatalogIndex index() { return index; }

    public SimulatedWorld world() { return world; }

    /** The simulated users' ids, in the world's order. */
    public List<String> userIds() { return userIds; }

    public List<String> featureNames() { return hydrator.featureNames(); }

    public ModelRegistry models() { return models; }

    public SegmentImpressionLog log() { return log; }

    /** Closes the current impression log and starts an empty one in {@code dir} (which must not hold segments). */
    public synchronized SegmentImpressionLog startLog(Path dir) {
        log.close();
        log = new SegmentImpressionLog(LogConfig.defaults(dir).withFsyncInterval(Duration.ofSeconds(5)));
        return log;
    }

    /** Flushes the current log to the OS, so a reader sees every record. */
    public void closeLog() {
        log.close();
    }

    public Path dataDir() { return dataDir; }

    TapExplorer explorer() { return explorer; }

    /** The model that scores the next requests; null = retrieval order. */
    public void useScorer(Scorer s) { this.scorer = s; }

    public Scorer scorer() { return scorer; }

    public void useExplorer(ExplorerConfig cfg) { explorer.use(cfg); }

    public Item item(String id) { return index.item(id); }

    @Override
    public void close() {
        log.close();
        retrievalPool.shutdownNow();
        try {
            index.close();
        } catch (IOException ignored) {
            // closing a read-mostly index: nothing to save
        }
    }
}
