package io.ranker.app;

import io.ranker.auth.ImpressionSigner;
import io.ranker.config.RankingSettings;
import io.ranker.pipeline.ImpressionIds;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Tracer;
import io.ranker.tracing.OtelPipelineTracer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.ranker.catalog.CatalogIndex;
import io.ranker.catalog.CatalogSettings;
import io.ranker.catalog.CatalogWriter;
import io.ranker.catalog.VectorSearchWarmup;
import io.ranker.catalog.changelog.CatalogReplication;
import io.ranker.explore.ExplorationControl;
import io.ranker.explore.ExplorerConfigParser;
import io.ranker.features.StoreFeatureHydrator;
import io.ranker.scoring.ScoringService;
import io.ranker.logging.LogSettings;
import io.ranker.logging.SegmentImpressionLog;
import io.ranker.features.FeedbackCounters;
import io.ranker.pipeline.AppendImpression;
import io.ranker.pipeline.CountImpressions;
import io.ranker.pipeline.ImpressionRecordBuilder;
import io.ranker.pipeline.RecordSeenItems;
import io.ranker.pipeline.PipelineWatcher;
import io.ranker.pipeline.RankingPipeline;
import io.ranker.pipeline.StageMetrics;
import io.ranker.pipeline.SurfaceFactory;
import io.ranker.pipeline.Surfaces;
import io.ranker.policy.PolicyRegistry;
import io.ranker.policy.SeenItems;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Owns the long-lived objects of the service (catalog index, surfaces, pipeline) and their lifecycle:
 * opens the index at start, seeds the demo on an empty data directory, reloads changed pipeline files,
 * closes everything at shutdown. The stages themselves are plain classes; this is their only CDI glue.
 */
@ApplicationScoped
public class RankerRuntime {
    private static final Logger LOG = Logger.getLogger(RankerRuntime.class);

    private final RankingSettings settings;
    private final CatalogSettings catalogSettings;
    private final MeterRegistry registry;
    private final ExplorationControl exploration;
    private final StoreFeatureHydrator hydrator;
    private final ScoringService scoring;
    private final SegmentImpressionLog impressionLog;
    private final LogSettings logSettings;
    private final FeedbackCounters counters;
    private final SeenItems seen;
    // Resolved lazily: the policy registry validates rule files against the catalog's attributes, which this
    // object opens, so taking it in the constructor would be a construction cycle.
    private final Instance<PolicyRegistry> policies;
    private final Instance<StartupSeeding> seeding;
    private final Tracer tracer;
    private final ImpressionSigner signer;
    private final CatalogReplication replication;

    private CatalogIndex index;
    private CatalogWriter catalogWriter;
    private final Surfaces surfaces = new Surfaces();
    private PipelineWatcher watcher;
    private RankingPipeline pipeline;
    private ExecutorService retrievalPool;

    public RankerRuntime(RankingSettings settings, CatalogSettings catalogSettings, MeterRegistry registry,
                         ExplorationControl exploration, StoreFeatureHydrator hydrator, ScoringService scoring, Instance<PolicyRegistry> policies,
                         SegmentImpressionLog impressionLog, LogSettings logSettings, FeedbackCounters counters, SeenItems seen,
                         Instance<StartupSeeding> seeding, CatalogReplication replication, Tracer tracer,
                         ImpressionSigner signer) {
        this.signer = signer;
        this.seeding = seeding;
        this.replication = replication;
        this.tracer = tracer;
        this.counters = counters;
        this.seen = seen;
        this.impressionLog = impressionLog;
        this.logSettings = logSettings;
        this.policies = policies;
        this.settings = settings;
        this.exploration = exploration;
        this.hydrator = hydrator;
        this.scoring = scoring;
        this.catalogSettings = catalogSettings;
        this.registry = registry;
        // shadow models: how often they were scored, skipped to keep the request's deadline, or failed
        for (String outcome : java.util.List.of("scored", "skippedForBudget", "failed")) {
            io.micrometer.core.instrument.FunctionCounter.builder("ranker.shadow.scorings", scoring,
                            s -> s.shadowStats().getOrDefault(outcome, 0L))
                    .tag("outcome", outcome)
                    .description("shadow model scorings by outcome (skippedForBudget: it would have missed the shadow deadline)")
                    .register(registry);
        }
    }

    void onStart(@Observes StartupEvent ev) throws IOException {
        Path dataDir = Path.of(settings.dataDir());
        Files.createDirectories(dataDir);
        Path indexDir = dataDir.resolve("index");
        replication.prepare(indexDir); // shared catalog: a new replica restores the newest snapshot first
        index = new CatalogIndex(indexDir, catalogSettings.vectorDimension(),
                catalogSettings.vectorSimilarity(), catalogSettings.vectorQuantization(), catalogSettings.refreshMillis());
        catalogWriter = replication.start(index);
        for (StartupSeeding seed : seeding) seed.seedData(index, dataDir);
        VectorSearchWarmup.run(index, 5_000);
        retrievalPool = newRetrievalPool();
        SurfaceFactory factory = new SurfaceFactory(index, hydrator, retrievalPool, cfg -> exploration.configure(cfg.surface(), ExplorerConfigParser.parse(cfg.explorer(), "/explorer")));
        watcher = new PipelineWatcher(Path.of(settings.configDir()).resolve("pipelines"), factory, surfaces);
        watcher.poll();
        if (surfaces.all().isEmpty()) {
            LOG.warnf("no valid pipeline in %s/pipelines: /v1/rank will answer 404 until one is added", settings.configDir());
        }
        PolicyRegistry rules = policies.get();
        pipeline = RankingPipeline.builder()
                .surfaces(surfaces)
                .hydrator(hydrator)
                .scorers(ctx -> scoring.scorerFor(ctx.request().surface()).forRequest(ctx))
                .policies(ctx -> rules.stage(ctx.request().surface()))
                // in this order: the durable log append first, so a response never returns unlogged
                .sideEffect(new AppendImpression(impressionLog, new ImpressionRecordBuilder(logSettings.candidateSampleRate(),
                        Set.copyOf(logSettings.candidateAttributes()))))
                .sideEffect(new CountImpressions(counters))
                .sideEffect(new RecordSeenItems(seen))
                .metrics(new StageMetrics(registry))
                .tracer(new OtelPipelineTracer(tracer))
                // signed, so feedback naming a list this service never served is recognised without a lookup
                .impressionIds(() -> signer.sign(ImpressionIds.next()))
                .build();
        scoring.start(hydrator.featureNames());
        for (StartupSeeding seed : seeding) seed.seedModels(pipeline, surfaces.all().keySet(), hydrator.featureNames());
        LOG.infof("ranker ready: %d items, surfaces %s, data dir %s", index.size(), surfaces.all().keySet(), dataDir.toAbsolutePath());
    }

    private static ExecutorService newRetrievalPool() {
        AtomicInteger n = new AtomicInteger();
        int threads = Math.max(4, Runtime.getRuntime().availableProcessors() * 4);
        // Bounded queue: under overload a source waits for a thread and misses its budget (named in
        // degraded) rather than piling up unbounded work.
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(1024), r -> {
            Thread th = new Thread(r, "retrieval-" + n.incrementAndGet());
            th.setDaemon(true);
            return th;
        });
        return pool;
    }

    @Scheduled(every = "${ranking.reload-interval:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reload() {
        if (watcher != null) watcher.poll();
    }

    void onStop(@Observes ShutdownEvent ev) throws IOException {
        if (retrievalPool != null) retrievalPool.shutdownNow();
        replication.stop(); // commits what the changelog applied, with its position, before the index closes
        if (index != null) index.close();
    }

    public CatalogIndex index() { return index; }

    /** Where catalog writes go: this node's index, or the shared changelog ({@code ranking.state.store=redis}). */
    public CatalogWriter catalogWriter() { return catalogWriter; }

    public Surfaces surfaces() { return surfaces; }

    public RankingPipeline pipeline() { return pipeline; }

    public PipelineWatcher watcher() { return watcher; }

    public int vectorDimension() { return catalogSettings.vectorDimension(); }
}
