package io.ranker.simulation;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ranker.catalog.CatalogIndex;
import io.ranker.catalog.DemoCatalog;
import io.ranker.catalog.DemoUsers;
import io.ranker.catalog.Item;
import io.ranker.explore.ExplorerConfig;
import io.ranker.explore.ExplorerConfigParser;
import io.ranker.features.DemoFeatureSeeder;
import io.ranker.features.FeatureMetrics;
import io.ranker.features.FeatureSchema;
import io.ranker.features.InMemoryFeatureStore;
import io.ranker.features.StoreFeatureHydrator;
import io.ranker.logging.ImpressionLog;
import io.ranker.logging.ImpressionRecord;
import io.ranker.logging.LogConfig;
import io.ranker.logging.SegmentImpressionLog;
import io.ranker.pipeline.ImpressionRecordBuilder;
import io.ranker.pipeline.PipelineConfig;
import io.ranker.pipeline.PipelineConfigParser;
import io.ranker.pipeline.RankingPipeline;
import io.ranker.pipeline.StageMetrics;
import io.ranker.pipeline.Surface;
import io.ranker.pipeline.SurfaceFactory;
import io.ranker.pipeline.Surfaces;
import io.ranker.policy.CompiledPolicy;
import io.ranker.policy.InMemorySeenItems;
import io.ranker.policy.PolicyParser;
import io.ranker.policy.ValidationLimits;
import io.ranker.scoring.ModelRegistry;
import io.ranker.scoring.Scorer;

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
 * index seeded with the demo catalog, the in-memory feature store seeded with demo features, the store feature
 * hydrator, an XGBoost scorer (swappable), a compiled rule set, the explorer and the segment impression log.
 * One surface ({@link #SURFACE}) with a small candidate set (at most 12, so every propensity is exact).
 */
public final class PipelineAssembly implements AutoCloseable {
    public static final String SURFACE = "sim";
    public static final int DIMENSION = 32;
    public static final long CATALOG_SEED = 42;

    /** Small candidate sets: 8 nearest items to the user's taste vector plus 4 popular ones. */
    static final String PIPELINE_YAML = """
            surface: sim
            description: Simulator feed. Small candidate sets so explorer propensities are exact.
            limit: {default: 5, max: 10}
            sources:
              - {name: vector, type: vector, vector: user, limit: 8, efSearch: 64}
              - {name: popular, type: popular, by: popularity, limit: 4, weight: 2.0}
            filters:
              - {attribute: in_stock, values: ["true"]}
            minCandidates: 5
            fusion: {type: rrf, k: 60}
            budgets: {retrievalMs: 5000, featuresMs: 5000, scoringMs: 5000, totalMs: 20000}
            """;

    /** Real rules of the policy engine (stateless ones, so the truth of a request does not depend on history). */
    static final String POLICY_YAML = """
            surface: sim
            description: Simulator policy.
            rules:
              - id: drop-out-of-stock
                type: filter
                when: {attribute: in_stock, eq: false}
              - id: bury-low-rating
                type: bury
                when: {attribute: rating, range: {max: 3.0}}
                multiply: 0.8
            """;

    private final Path dataDir;
    private final CatalogIndex index;
    private final List<DemoUsers.DemoUser> users;
    private final FeatureSchema schema;
    private final StoreFeatureHydrator hydrator;
    private final TapExplorer explorer;
    private volatile SegmentImpressionLog log;
    private final RankingPipeline pipeline;
    private final ModelRegistry models;
    private final ExecutorService retrievalPool;
    private volatile Scorer scorer;

    private PipelineAssembly(Path dataDir, CatalogIndex index, List<DemoUsers.DemoUser> users, FeatureSchema schema,
                             StoreFeatureHydrator hydrator, TapExplorer explorer, SegmentImpressionLog log,
                             ModelRegistry models, ExecutorService pool, RankingPipeline pipeline) {
        this.dataDir = dataDir;
        this.index = index;
        this.users = users;
        this.schema = schema;
        this.hydrator = hydrator;
        this.explorer = explorer;
        this.log = log;
        this.models = models;
        this.retrievalPool = pool;
        this.pipeline = pipeline;
    }

    /**
     * @param dataDir    index, models and impression log go here ({@code index/}, {@code models/}, {@code logs/})
     * @param configDir  {@code ranking-config} (for {@code features.yaml})
     * @param items      demo catalog size
     * @param userCount  demo users
     * @param explorerYaml the surface's {@code explorer:} section as a map (the logging policy)
     */
    public static PipelineAssembly build(Path dataDir, Path configDir, int items, int userCount,
                                         Map<String, Object> explorerYaml) {
        try {
            Files.createDirectories(dataDir);
            CatalogIndex index = new CatalogIndex(dataDir.resolve("index"), DIMENSION, "cosine", 1000);
            DemoCatalog catalog = new DemoCatalog(DIMENSION, CATALOG_SEED);
            if (index.size() == 0) {
                index.upsert(catalog.generate(items, CATALOG_SEED));
                index.refresh();
            }
            List<DemoUsers.DemoUser> users = DemoUsers.generate(catalog, userCount, CATALOG_SEED);

            FeatureSchema schema = FeatureSchema.load(configDir.resolve("features.yaml"));
            InMemoryFeatureStore store = new InMemoryFeatureStore();
            DemoFeatureSeeder.seed(List.copyOf(index.items()), users, CATALOG_SEED, schema, store);
            StoreFeatureHydrator hydrator = new StoreFeatureHydrator(schema, store, StoreFeatureHydrator.Settings.DEFAULT,
                    FeatureMetrics.NONE);

            TapExplorer tap = new TapExplorer(ExplorerConfigParser.parse(explorerYaml, "/explorer"));
            ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
                Thread t = new Thread(r, "sim-retrieval");
                t.setDaemon(true);
                return t;
            });
            PipelineConfig cfg = PipelineConfigParser.parse(SURFACE, PIPELINE_YAML.getBytes(StandardCharsets.UTF_8));
            Surface surface = new SurfaceFactory(index, hydrator, pool, c -> tap).build(cfg);
            Surfaces surfaces = new Surfaces();
            surfaces.replace(Map.of(SURFACE, surface));

            PolicyParser.Result parsed = new PolicyParser(ValidationLimits.DEFAULT, new InMemorySeenItems(100)).parse(POLICY_YAML);
            if (!parsed.valid()) throw new IllegalStateException("simulator policy invalid: " + parsed.errors());
            CompiledPolicy policy = new CompiledPolicy(parsed.policy().version(), parsed.policy().rules(), Clock.systemUTC());

            SegmentImpressionLog log = new SegmentImpressionLog(LogConfig.defaults(dataDir.resolve("logs"))
                    .withFsyncInterval(Duration.ofSeconds(5)));
            ModelRegistry models = new ModelRegistry(dataDir.resolve("models"), hydrator.featureNames());
            PipelineAssembly[] self = new PipelineAssembly[1];
            // Delegates to the current segment log, so each simulated run can write a log directory of its own.
            ImpressionLog current = new ImpressionLog() {
                @Override
                public boolean append(ImpressionRecord record) { return self[0].log.append(record); }

                @Override
                public boolean healthy() { return self[0].log.healthy(); }
            };
            RankingPipeline pipeline = new RankingPipeline(surfaces, hydrator, ctx -> self[0].scorer, s -> policy, current,
                    new ImpressionRecordBuilder(1.0, Set.of("category", "brand", "price", "in_stock", "sponsored")),
                    new StageMetrics(new SimpleMeterRegistry()));
            self[0] = new PipelineAssembly(dataDir, index, users, schema, hydrator, tap, log, models, pool, pipeline);
            return self[0];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (PipelineConfigParser.InvalidPipeline e) {
            throw new IllegalStateException("simulator pipeline invalid: " + e.getMessage(), e);
        }
    }

    public RankingPipeline pipeline() { return pipeline; }

    public CatalogIndex index() { return index; }

    public List<DemoUsers.DemoUser> users() { return users; }

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
