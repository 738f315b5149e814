package io.ranker.pipeline;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ranker.core.Candidate;
import io.ranker.core.Exploration;
import io.ranker.core.Explorer;
import io.ranker.core.Item;
import io.ranker.core.Placement;
import io.ranker.core.PolicyStage;
import io.ranker.core.RankRequest;
import io.ranker.core.RankResult;
import io.ranker.core.RankingContext;
import io.ranker.core.Scorer;
import io.ranker.core.SourceHit;
import io.ranker.explore.NoExplorer;
import io.ranker.logging.ImpressionLog;
import io.ranker.logging.ImpressionRecord;
import io.ranker.policy.InMemorySeenItems;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The pipeline's contract, with fakes for every stage (no Quarkus, no index, no model file): what it does when a
 * model, the log or another side effect fails, how it places fallback-only candidates, which versions it stamps, and
 * that previews leave nothing behind.
 */
class RankingPipelineContractTest {
    static final String SURFACE = "feed";

    /** Candidates a..e in retrieval order (a best); d and e found only by the fallback source "popular". */
    static List<Candidate> candidates() {
        List<Candidate> out = new ArrayList<>();
        String[] ids = {"a", "b", "c", "d", "e"};
        for (int i = 0; i < ids.length; i++) {
            Candidate c = new Candidate(ids[i], new Item(ids[i], null, null,
                    Map.of("seller", "s" + i, "category", "cat-" + (i % 2)), null));
            c.addHit(new SourceHit(i < 3 ? "text" : "popular", 10.0 - i, i + 1));
            c.setRetrievalScore(1.0 / (60 + i + 1));
            c.setScore(c.retrievalScore());
            c.setFeatures(new float[]{i});
            out.add(c);
        }
        return out;
    }

    static RankingContext ctx(String user) {
        return new RankingContext(new RankRequest(SURFACE, user, null, null, null, null, 5, false, null), "imp-1", 42L);
    }

    /** Scores each candidate by its single feature: e (4) best, a (0) worst; the reverse of retrieval order. */
    static Scorer byFeature(String version) {
        return new Scorer() {
            @Override
            public String version() { return version; }

            @Override
            public double[] score(RankingContext ctx, List<Candidate> cs) {
                double[] s = new double[cs.size()];
                for (int i = 0; i < s.length; i++) s[i] = cs.get(i).features()[0];
                return s;
            }
        };
    }

    static Scorer failing(String version) {
        return new Scorer() {
            @Override
            public String version() { return version; }

            @Override
            public double[] score(RankingContext ctx, List<Candidate> cs) throws Exception {
                throw new java.io.IOException("model " + version + " crashed");
            }
        };
    }

    /** An impression log that keeps what it is given, or refuses everything. */
    static final class FakeLog implements ImpressionLog {
        final List<ImpressionRecord> records = new ArrayList<>();
        final boolean up;

        FakeLog(boolean up) { this.up = up; }

        @Override
        public boolean append(ImpressionRecord record) {
            if (up) records.add(record);
            return up;
        }

        @Override
        public boolean healthy() { return up; }
    }

    /** A side effect that records that it ran, in a shared journal, then fails or not. */
    static SideEffect journaling(String name, List<String> journal, RuntimeException failure) {
        return new SideEffect() {
            @Override
            public String name() { return name; }

            @Override
            public boolean apply(RankResult result) {
                journal.add(name);
                if (failure != null) throw failure;
                return true;
            }
        };
    }

    static RankingPipeline.Builder pipeline(Scorer scorer) {
        return RankingPipeline.builder()
                .featureNames(List.of("f0"))
                .scorers(ctx -> scorer)
                .policies(ctx -> PolicyStage.NONE)
                .explorers(ctx -> NoExplorer.INSTANCE);
    }

    static List<String> ids(List<Candidate> cs) {
        return cs.stream().map(Candidate::id).toList();
    }

    @Test
    void aFailingModelServesTheRetrievalOrderAndNamesItsVersion() {
        FakeLog log = new FakeLog(true);
        RankingPipeline p = pipeline(failing("m-7")).sideEffect(new AppendImpression(log, new ImpressionRecordBuilder(1.0, Set.of()))).build();
        RankingContext ctx = ctx("u1");
        RankResult r = p.rankCandidates(ctx, candidates(), RankingPipeline.Mode.SERVE);

        assertThat(ids(r.exploration().shown())).containsExactly("a", "b", "c", "d", "e");
        assertThat(ctx.degraded()).containsExactly("model:m-7");
        assertThat(ctx.versions().model()).isEqualTo("m-7");
        assertThat(r.exploration().shown()).allSatisfy(c -> assertThat(c.modelScore()).isNaN());
        // the log says which model failed, so replay serves the retrieval order too
        assertThat(log.records).singleElement().satisfies(rec -> {
            assertThat(rec.degraded()).containsExactly("model:m-7");
            assertThat(rec.versions()).containsEntry("model", "m-7");
        });
    }

    @Test
    void theFailingModelNamedIsTheOneRoutedToTheRequestNotTheActiveOne() {
        Scorer active = byFeature("active-v1");
        Scorer canary = failing("canary-v2");
        RankingPipeline p = RankingPipeline.builder()
                .featureNames(List.of("f0"))
                .scorers(ctx -> "canary-user".equals(ctx.request().userId()) ? canary : active)
                .policies(ctx -> PolicyStage.NONE)
                .explorers(ctx -> NoExplorer.INSTANCE)
                .build();

        RankingContext onCanary = ctx("canary-user");
        p.rankCandidates(onCanary, candidates(), RankingPipeline.Mode.SERVE);
        assertThat(onCanary.degraded()).containsExactly("model:canary-v2");
        assertThat(onCanary.versions().model()).isEqualTo("canary-v2");

        RankingContext onActive = ctx("someone-else");
        RankResult r = p.rankCandidates(onActive, candidates(), RankingPipeline.Mode.SERVE);
        assertThat(onActive.degraded()).isEmpty();
        assertThat(onActive.versions().model()).isEqualTo("active-v1");
        assertThat(ids(r.exploration().shown())).containsExactly("e", "d", "c", "b", "a"); // the active model ranked it
    }

    @Test
    void aFailingLogAppendServesTheListAndSaysLogUnavailable() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<String> journal = new ArrayList<>();
        RankingPipeline p = pipeline(byFeature("m-1"))
                .sideEffect(new AppendImpression(new FakeLog(false), new ImpressionRecordBuilder(1.0, Set.of())))
                .sideEffect(journaling("after-log", journal, null))
                .metrics(new StageMetrics(registry))
                .build();
        RankingContext ctx = ctx("u1");
        RankResult r = p.rankCandidates(ctx, candidates(), RankingPipeline.Mode.SERVE);

        assertThat(r.exploration().shown()).hasSize(5);
        assertThat(ctx.degraded()).containsExactly("log:unavailable");
        assertThat(journal).containsExactly("after-log"); // later side effects still run
        assertThat(registry.counter("ranker.side_effect.failures", "surface", SURFACE, "effect", "logging").count()).isEqualTo(1.0);
        assertThat(registry.counter("ranker.degraded", "surface", SURFACE, "what", "log").count()).isEqualTo(1.0);
    }

    @Test
    void aThrowingSideEffectNeverFailsTheRequestAndTheOthersRunInOrder() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<String> journal = new ArrayList<>();
        FakeLog log = new FakeLog(true);
        RankingPipeline p = pipeline(byFeature("m-1"))
                .sideEffect(new AppendImpression(log, new ImpressionRecordBuilder(1.0, Set.of())))
                .sideEffect(journaling("counters", journal, new IllegalStateException("store down")))
                .sideEffect(journaling("seen-history", journal, null))
                .metrics(new StageMetrics(registry))
                .build();
        RankingContext ctx = ctx("u1");
        RankResult r = p.rankCandidates(ctx, candidates(), RankingPipeline.Mode.SERVE);

        assertThat(r.exploration().shown()).hasSize(5);
        assertThat(log.records).hasSize(1);
        assertThat(journal).containsExactly("counters", "seen-history");
        assertThat(ctx.degraded()).as("the contract names no degradation for counters").isEmpty();
        assertThat(registry.counter("ranker.side_effect.failures", "surface", SURFACE, "effect", "counters").count()).isEqualTo(1.0);
        assertThat(ctx.stageNanos()).containsKeys("scoring", "policy", "explore", "logging", "counters", "seen-history");
    }

    @Test
    void candidatesOnlyAFallbackSourceFoundAreDemotedBelowEveryPrimary() {
        // the model likes d and e (fallback only) best: they still come after a, b and c, in the model's order
        RankingPipeline p = pipeline(byFeature("m-1")).build();
        RankingContext ctx = ctx("u1");
        RankResult r = p.rankCandidates(ctx, candidates(),
                new RankingPipeline.Stages(byFeature("m-1"), PolicyStage.NONE, NoExplorer.INSTANCE, Set.of("popular"), null),
                RankingPipeline.Mode.SERVE);
        assertThat(ids(r.exploration().shown())).containsExactly("c", "b", "a", "e", "d");

        // without fallback sources declared, the model's order stands
        RankResult plain = p.rankCandidates(ctx("u1"), candidates(), RankingPipeline.Mode.SERVE);
        assertThat(ids(plain.exploration().shown())).containsExactly("e", "d", "c", "b", "a");
    }

    @Test
    void aPreviewRunsNoSideEffectAndCountsNoExposure() {
        FakeLog log = new FakeLog(true);
        List<String> journal = new ArrayList<>();
        List<String> explorerCalls = new ArrayList<>();
        Explorer counting = new Explorer() {
            @Override
            public String name() { return "counting"; }

            @Override
            public Exploration explore(List<Candidate> ranked, Placement placement, int limit, long seed) {
                explorerCalls.add("explore");
                return NoExplorer.INSTANCE.explore(ranked, placement, limit, seed);
            }

            @Override
            public Exploration preview(List<Candidate> ranked, Placement placement, int limit, long seed) {
                explorerCalls.add("preview");
                return NoExplorer.INSTANCE.explore(ranked, placement, limit, seed);
            }
        };
        InMemorySeenItems seen = new InMemorySeenItems(10);
        RankingPipeline p = RankingPipeline.builder()
                .featureNames(List.of("f0"))
                .scorers(ctx -> byFeature("m-1"))
                .policies(ctx -> PolicyStage.NONE)
                .explorers(ctx -> counting)
                .sideEffect(new AppendImpression(log, new ImpressionRecordBuilder(1.0, Set.of())))
                .sideEffect(new RecordSeenItems(seen))
                .sideEffect(journaling("other", journal, null))
                .build();

        RankResult preview = p.rankCandidates(ctx("u1"), candidates(), RankingPipeline.Mode.PREVIEW);
        assertThat(preview.exploration().shown()).hasSize(5);
        assertThat(log.records).isEmpty();
        assertThat(journal).isEmpty();
        assertThat(seen.seenSince("u1", 0, Set.of())).isEmpty();
        assertThat(explorerCalls).containsExactly("preview");

        p.rankCandidates(ctx("u1"), candidates(), RankingPipeline.Mode.SERVE);
        assertThat(log.records).hasSize(1);
        assertThat(journal).containsExactly("other");
        assertThat(seen.seenSince("u1", 0, Set.of())).containsExactlyInAnyOrder("a", "b", "c", "d", "e");
        assertThat(explorerCalls).containsExactly("preview", "explore");
    }

    @Test
    void theExplorerLoggedIsTheOneThatDecidedEvenIfItChangesRightAfter() {
        FakeLog log = new FakeLog(true);
        Explorer swapping = new Explorer() {
            String current = "plackett-luce(T=0.5)";

            @Override
            public String name() { return current; }

            @Override
            public Exploration explore(List<Candidate> ranked, Placement placement, int limit, long seed) {
                Exploration e = NoExplorer.INSTANCE.explore(ranked, placement, limit, seed).withExplorer(current);
                current = "none(kill-switch)"; // reconfigured by another thread right after deciding
                return e;
            }
        };
        RankingPipeline p = pipeline(byFeature("m-1")).explorers(ctx -> swapping)
                .sideEffect(new AppendImpression(log, new ImpressionRecordBuilder(1.0, Set.of()))).build();
        RankingContext ctx = ctx("u1");
        p.rankCandidates(ctx, candidates(), RankingPipeline.Mode.SERVE);
        assertThat(ctx.versions().explorer()).isEqualTo("plackett-luce(T=0.5)");
        assertThat(log.records.get(0).explorer()).isEqualTo("plackett-luce(T=0.5)");
        assertThat(log.records.get(0).versions()).containsEntry("explorer", "plackett-luce(T=0.5)");
    }

    @Test
    void theCandidateSetLogsEveryAttributeThePolicyReadsPlusTheConfiguredOnes() {
        FakeLog log = new FakeLog(true);
        PolicyStage readsSeller = new PolicyStage() {
            @Override
            public String version() { return "p-1"; }

            @Override
            public PolicyOutcome apply(RankingContext ctx, List<Candidate> scored) {
                return PolicyStage.NONE.apply(ctx, scored);
            }

            @Override
            public Set<String> attributes() { return Set.of("seller"); }
        };
        RankingPipeline p = RankingPipeline.builder()
                .featureNames(List.of("f0"))
                .scorers(ctx -> null)
                .policies(ctx -> readsSeller)
                .explorers(ctx -> NoExplorer.INSTANCE)
                .sideEffect(new AppendImpression(log, new ImpressionRecordBuilder(1.0, Set.of("category"))))
                .build();
        RankingContext ctx = ctx("u1");
        p.rankCandidates(ctx, candidates(), RankingPipeline.Mode.SERVE);

        ImpressionRecord rec = log.records.get(0);
        assertThat(rec.candidates()).hasSize(5).allSatisfy(c -> assertThat(c.attributes()).containsOnlyKeys("seller", "category"));
        assertThat(rec.versions()).containsEntry("policy", "p-1").containsEntry("model", "none");
        assertThat(ctx.versions().model()).isEqualTo("none"); // no model: retrieval order, not a degradation
        assertThat(ctx.degraded()).isEmpty();
    }

    @Test
    void aScorerReturningTheWrongNumberOfScoresCountsAsAFailedModel() {
        Scorer short1 = new Scorer() {
            @Override
            public String version() { return "m-short"; }

            @Override
            public double[] score(RankingContext ctx, List<Candidate> cs) {
                return new double[]{1.0};
            }
        };
        RankingContext ctx = ctx("u1");
        RankResult r = pipeline(short1).build().rankCandidates(ctx, candidates(), RankingPipeline.Mode.SERVE);
        assertThat(ctx.degraded()).containsExactly("model:m-short");
        assertThat(ids(r.exploration().shown())).containsExactly("a", "b", "c", "d", "e");
    }

    @Test
    void theBuilderRefusesAnIncompleteConfiguration() {
        assertThatThrownBy(() -> RankingPipeline.builder().surfaces(new Surfaces()).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("hydrator");
        assertThatThrownBy(() -> RankingPipeline.builder().scorers(ctx -> null).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("both routers");
        // a pipeline without routers ranks only with explicit stages (replay)
        RankingPipeline bare = RankingPipeline.builder().build();
        assertThatThrownBy(() -> bare.rankCandidates(ctx("u1"), candidates(), RankingPipeline.Mode.PREVIEW))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> bare.rank(new RankRequest(SURFACE, "u1", null, null, null, null, 5, false, null)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no retrieval");
    }
}
