package io.ranker.replay;

import io.ranker.core.Item;
import io.ranker.core.Explorer;
import io.ranker.explore.ExplorerConfig;
import io.ranker.explore.ExplorerFactory;
import io.ranker.logging.FeedbackEvent;
import io.ranker.logging.ImpressionLog;
import io.ranker.logging.LogConfig;
import io.ranker.logging.SegmentImpressionLog;
import io.ranker.core.Candidate;
import io.ranker.pipeline.AppendImpression;
import io.ranker.pipeline.ImpressionRecordBuilder;
import io.ranker.pipeline.RankingPipeline;
import io.ranker.pipeline.RecordSeenItems;
import io.ranker.core.RankRequest;
import io.ranker.core.RankResult;
import io.ranker.core.RankingContext;
import io.ranker.core.SourceHit;
import io.ranker.policy.CompiledPolicy;
import io.ranker.policy.PolicyParser;
import io.ranker.policy.ValidationLimits;
import io.ranker.scoring.ModelManifest;
import io.ranker.scoring.ModelRegistry;
import io.ranker.scoring.XgboostScorer;
import io.ranker.training.TrainingSet;
import io.ranker.training.XgboostTrainer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Serves requests through the serving pipeline ({@link RankingPipeline#rankCandidates}, with the real XGBoost scorer,
 * compiled policy, surface explorer and the log append and seen-history side effects) over a synthetic catalog, and draws clicks from a known position-based click model, so a
 * replay can be checked against what was served and against the true value of any policy.
 * Truth: P(click | item at position k) = examination(k) * relevance(item), examination(k) = 1 / k^0.7 (capped
 * 0.9), relevance = 0.05 + 0.3 * f1 (feature f1 of the item).
 */
final class ServedLog {
    static final String SURFACE = "feed";
    static final List<String> FEATURES = List.of("f0", "f1", "f2");
    static final int LIMIT = 10;
    static final String POLICY = """
            surface: feed
            rules:
              - id: drop-out-of-stock
                type: filter
                when: {attribute: in_stock, eq: false}
              - id: boost-cat-1
                type: boost
                when: {attribute: category, eq: cat-1}
                multiply: 1.2
            """;
    static final String CAPPED_POLICY = POLICY + """
              - id: one-per-brand
                type: cap
                attribute: brand
                max: 1
                topK: 10
            """;
    static final Map<String, Object> EXPLORER = Map.of("type", "plackett-luce", "epsilon", 0.3, "temperature", 0.2,
            "top-k", 20, "protected-positions", 1, "mc-samples", 500);

    final Path dataDir;
    final Path configDir;
    final ExplorerConfig explorerConfig;
    final String modelVersion;
    final XgboostScorer scorer;
    final CompiledPolicy policy;
    final Explorer explorer;
    final List<Item> catalog = new ArrayList<>();
    final Map<String, float[]> features = new java.util.HashMap<>();
    long clicks;
    long slots;
    /** Expected clicks (truth) of the served lists, and of the deterministic (unexplored) lists of the same requests. */
    double servedExpected;
    double deterministicExpected;
    long deterministicSlots;

    static final String SEEN_POLICY = POLICY + """
              - id: not-seen-today
                type: exclude_seen
                window: 24h
                events: [shown]
            """;
    /** What the served exclude_seen rule reads, fed by the pipeline's seen-history side effect as in the service. */
    final io.ranker.policy.InMemorySeenItems seen = new io.ranker.policy.InMemorySeenItems(500);

    ServedLog(Path root) throws Exception {
        this(root, POLICY);
    }

    ServedLog(Path root, String policyYaml) throws Exception {
        this(root, policyYaml, 1.0);
    }

    /** Serving through the surface explorer that runs in the service, with its per-item exposure cap. */
    final io.ranker.explore.SurfaceExplorer surfaceExplorer;

    /**
     * @param exposureCap the surface's per-item exposure cap (1 = none): an item shown in more than this share of
     *                    the last 100 impressions is kept out of sampling, as in the service
     */
    ServedLog(Path root, String policyYaml, double exposureCap) throws Exception {
        dataDir = root.resolve("data");
        configDir = root.resolve("config");
        Files.createDirectories(configDir.resolve("pipelines"));
        Files.createDirectories(configDir.resolve("policies"));
        Files.writeString(configDir.resolve("pipelines/feed.yaml"), """
                surface: feed
                explorer:
                  type: plackett-luce
                  epsilon: 0.3
                  temperature: 0.2
                  top-k: 20
                  protected-positions: 1
                  mc-samples: 500
                """ + (exposureCap < 1 ? "  exposure-cap: " + exposureCap + "\n  exposure-window: 100\n" : ""));
        Files.writeString(configDir.resolve("policies/feed.yaml"), policyYaml);
        Map<String, Object> explorerYaml = new java.util.HashMap<>(EXPLORER);
        if (exposureCap < 1) {
            explorerYaml.put("exposure-cap", exposureCap);
            explorerYaml.put("exposure-window", 100);
        }
        explorerConfig = io.ranker.explore.ExplorerConfigParser.parse(explorerYaml, "/explorer");
        explorer = ExplorerFactory.create(explorerConfig);
        surfaceExplorer = new io.ranker.explore.SurfaceExplorer(explorerConfig, new io.ranker.explore.KillSwitch());
        PolicyParser.Result parsed = new PolicyParser(new ValidationLimits(Set.of(), 100), seen).parse(policyYaml);
        policy = new CompiledPolicy(parsed.policy().version(), parsed.policy().rules(), Clock.systemUTC());
        Random r = new Random(7);
        for (int i = 0; i < 400; i++) {
            String id = "item-" + i;
            // seller: an attribute only a test's rules read (derived from i, so the random stream stays as it was)
            catalog.add(new Item(id, null, null, Map.of("category", "cat-" + r.nextInt(6), "brand", "brand-" + r.nextInt(8),
                    "in_stock", r.nextInt(10) > 0, "price", 10.0 + r.nextInt(90), "seller", "seller-" + i % 7,
                    "sponsored", i % 12 == 0), null));
            features.put(id, new float[]{r.nextFloat(), r.nextFloat(), r.nextFloat()});
        }
        ModelRegistry registry = new ModelRegistry(dataDir.resolve("models"), FEATURES);
        modelVersion = train(registry, 0, 11);
        scorer = registry.scorer(modelVersion);
    }

    /** Trains a small real model whose score follows feature {@code column} (plus noise); returns its version. */
    static String train(ModelRegistry registry, int column, long seed) throws Exception {
        Random r = new Random(seed);
        int rows = 2000;
        float[] x = new float[rows * 3];
        float[] y = new float[rows];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < 3; j++) x[i * 3 + j] = r.nextFloat();
            y[i] = r.nextFloat() < x[i * 3 + column] ? 1 : 0;
        }
        byte[] model = new XgboostTrainer().train(new TrainingSet(FEATURES, x, y, null, null),
                Map.of("objective", "binary:logistic", "max_depth", 3), 20).toByteArray("ubj");
        return registry.register(model, new ModelManifest(FEATURES, "binary:logistic", "2026-11-26T00:00:00Z", null,
                Map.of()).toJson()).version();
    }

    static double examination(int position) {
        return Math.min(0.9, 1.0 / Math.pow(position, 0.7));
    }

    double relevance(String itemId) {
        return 0.05 + 0.3 * features.get(itemId)[1];
    }

    /** P(click | item at 1-based position): the planted click model (default examination x relevance). */
    java.util.function.ToDoubleBiFunction<String, Integer> clickModel = (id, k) -> examination(k) * relevance(id);

    /**
     * Rule sets whose exact expected clicks on the very requests served are summed into {@link #trueClicks} (by name):
     * each is ranked over the same candidates and seed and its full position distribution under the surface's
     * explorer (mixture, protected position, slots, caps) weighs the click model. The truth of a policy change.
     */
    final Map<String, CompiledPolicy> truthPolicies = new java.util.LinkedHashMap<>();
    final Map<String, Double> trueClicks = new java.util.LinkedHashMap<>();

    private void addTruth(RankingPipeline pipeline, RankRequest req, String impressionId, long seed, List<Integer> picks) {
        for (Map.Entry<String, CompiledPolicy> e : truthPolicies.entrySet()) {
            RankingContext ctx = new RankingContext(req, impressionId, seed);
            RankingPipeline.Stages stages = new RankingPipeline.Stages(scorer, e.getValue(), surfaceExplorer,
                    popularFallback ? Set.of("popular") : Set.of(), null);
            RankResult result = pipeline.rankCandidates(ctx, build(picks), stages, RankingPipeline.Mode.PREVIEW);
            io.ranker.explore.PositionMarginals m = io.ranker.explore.PolicyPropensities.of(explorerConfig,
                    result.policy().ranked(), result.policy().placement(), LIMIT, seed);
            double v = 0;
            for (int k = 0; k < m.positions(); k++) {
                for (int i = 0; i < m.ids().size(); i++) {
                    double p = m.byPosition()[k][i];
                    if (p > 0) v += p * clickModel.applyAsDouble(m.ids().get(i), k + 1);
                }
            }
            trueClicks.merge(e.getKey(), v, Double::sum);
        }
    }

    /** Whether the last 20 candidates of each request come from a fallback source ({@link #usePopularFallback}). */
    private boolean popularFallback;

    /**
     * Declares a fallback source {@code popular} in the surface's pipeline file and has it find the last 20 candidates
     * of every request (the other 80 come from {@code vector}): the pipeline places them after the others, in serving
     * as in replay.
     */
    void usePopularFallback() throws java.io.IOException {
        popularFallback = true;
        Files.writeString(configDir.resolve("pipelines/feed.yaml"), Files.readString(configDir.resolve("pipelines/feed.yaml"))
                + "sources:\n  - {name: vector, type: vector}\n  - {name: popular, type: popular, fallback: true}\n");
    }

    /** The candidates of request {@code i}: 100 of the catalog, retrieval score by a rank. */
    List<Candidate> candidates(Random r) {
        return build(picks(r));
    }

    private List<Integer> picks(Random r) {
        List<Integer> picks = new ArrayList<>();
        for (int i = 0; i < catalog.size(); i++) picks.add(i);
        java.util.Collections.shuffle(picks, r);
        return picks;
    }

    /** Fresh candidates (the pipeline changes their scores) from a shuffle of the catalog. */
    private List<Candidate> build(List<Integer> picks) {
        List<Candidate> out = new ArrayList<>();
        for (int k = 0; k < 100; k++) {
            Item item = catalog.get(picks.get(k));
            Candidate c = new Candidate(item.id(), item);
            boolean fallback = popularFallback && k >= 80;
            c.addHit(fallback ? new SourceHit("popular", 1.0 / (k - 79), k - 79) : new SourceHit("vector", 1.0 / (k + 1), k + 1));
            c.setRetrievalScore(1.0 / (60 + k + 1));
            c.setScore(c.retrievalScore());
            c.setFeatures(features.get(item.id()).clone());
            out.add(c);
        }
        return out;
    }

    /**
     * The serving pipeline's ranking half with the service's side effects (log append, seen history), given the
     * surface's stages per request (no retrieval: {@link #candidates} stands in for it). Besides what the
     * rules read, the log carries price and sponsored (for dry runs of rules on them), as the fixture always did.
     */
    RankingPipeline pipeline(ImpressionLog log, double candidateSampleRate) {
        return RankingPipeline.builder()
                .featureNames(FEATURES)
                .sideEffect(new AppendImpression(log, new ImpressionRecordBuilder(candidateSampleRate,
                        Set.of("category", "brand", "price", "in_stock", "sponsored"))))
                .sideEffect(new RecordSeenItems(seen))
                .build();
    }

    /** Serves {@code n} requests through the pipeline (candidates given, as retrieval would) and their clicks into {@code <data-dir>/logs}. */
    void serve(int n, long seed, double candidateSampleRate) throws Exception {
        Random r = new Random(seed);
        try (SegmentImpressionLog log = new SegmentImpressionLog(LogConfig.defaults(dataDir.resolve("logs")))) {
            RankingPipeline pipeline = pipeline(log, candidateSampleRate);
            for (int i = 0; i < n; i++) {
                String impressionId = "imp-" + seed + "-" + i;
                RankRequest req = new RankRequest(SURFACE, "user-" + r.nextInt(50), null, null, Map.of(), null, LIMIT, false, null);
                long requestSeed = r.nextLong();
                RankingContext ctx = new RankingContext(req, impressionId, requestSeed);
                ctx.setPipelineVersion("test");
                RankingPipeline.Stages stages = new RankingPipeline.Stages(scorer, policy, surfaceExplorer,
                        popularFallback ? Set.of("popular") : Set.of(), null);
                List<Integer> picks = picks(r);
                if (!truthPolicies.isEmpty()) addTruth(pipeline, req, impressionId, requestSeed, picks);
                RankResult result = pipeline.rankCandidates(ctx, build(picks), stages, RankingPipeline.Mode.SERVE);
                long servedAt = System.currentTimeMillis();
                List<Candidate> ranked = result.policy().ranked();
                for (int k = 0; k < Math.min(LIMIT, ranked.size()); k++) {
                    deterministicExpected += clickModel.applyAsDouble(ranked.get(k).id(), k + 1);
                    deterministicSlots++;
                }
                List<Candidate> shown = result.exploration().shown();
                for (int k = 0; k < shown.size(); k++) {
                    String id = shown.get(k).id();
                    double pClick = clickModel.applyAsDouble(id, k + 1);
                    servedExpected += pClick;
                    slots++;
                    if (r.nextDouble() < pClick) {
                        clicks++;
                        log.append(new FeedbackEvent(impressionId, id, "click", null, servedAt + 1000, null, servedAt + 1000));
                    }
                }
            }
        }
    }

    ReplaySources sources() {
        return ReplaySources.standard(dataDir, configDir, SURFACE);
    }
}
