package io.ranker.retrieval;

import io.ranker.core.CandidateSource;
import io.ranker.catalog.CatalogIndex;
import io.ranker.core.Item;
import io.ranker.core.Candidate;
import io.ranker.core.RankRequest;
import io.ranker.core.RankingContext;
import io.ranker.core.SourceHit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/** Merging, fusion and the fallbacks of the retrieval stage, with fake sources over a real small index. */
class CandidateRetrieverTest {
    @TempDir
    Path dir;
    CatalogIndex index;
    ExecutorService pool = Executors.newFixedThreadPool(4);

    @BeforeEach
    void setUp() throws Exception {
        index = new CatalogIndex(dir, 2, "cosine", 50);
        for (String id : List.of("a", "b", "c", "d")) index.upsert(List.of(new Item(id, id, "", Map.of(), null)));
    }

    @AfterEach
    void tearDown() throws Exception {
        pool.shutdownNow();
        index.close();
    }

    record Fixed(String name, List<String> ids, long sleepMillis, boolean fail) implements CandidateSource {
        @Override
        public List<SourceHit> retrieve(RankingContext ctx, int limit) throws Exception {
            if (sleepMillis > 0) Thread.sleep(sleepMillis);
            if (fail) throw new IllegalStateException("boom");
            List<SourceHit> hits = new java.util.ArrayList<>();
            for (int i = 0; i < ids.size(); i++) hits.add(new SourceHit(name, 10 - i, i + 1, ids.get(i)));
            return hits;
        }
    }

    private static RankingContext ctx() {
        return new RankingContext(new RankRequest("s", "u", "q", null, null, null, 10, false, null), "imp", 1);
    }

    private static CandidateRetriever.ConfiguredSource src(CandidateSource s, boolean fallback) {
        return new CandidateRetriever.ConfiguredSource(s, 100, 1.0, fallback);
    }

    @Test
    void mergesByIdKeepsEverySourceAndFusesByReciprocalRank() {
        var r = new CandidateRetriever(index, List.of(
                src(new Fixed("x", List.of("a", "b", "c"), 0, false), false),
                src(new Fixed("y", List.of("b", "d"), 0, false), false)), 60, 0, 500, pool);
        List<Candidate> out = r.retrieve(ctx(), (s, n) -> { });
        assertThat(out).extracting(Candidate::id).containsExactly("b", "a", "d", "c");
        Candidate b = out.get(0);
        assertThat(b.hits()).containsOnlyKeys("x", "y");
        assertThat(b.retrievalScore()).isCloseTo(1.0 / 62 + 1.0 / 61, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void failedAndSlowSourcesAreNamedAndFallbackFillsIn() {
        var r = new CandidateRetriever(index, List.of(
                src(new Fixed("broken", List.of("a"), 0, true), false),
                src(new Fixed("slow", List.of("b"), 2_000, false), false),
                src(new Fixed("popular", List.of("c", "d"), 0, false), true)), 60, 2, 100, pool);
        RankingContext ctx = ctx();
        long t = System.nanoTime();
        List<Candidate> out = r.retrieve(ctx, (s, n) -> { });
        assertThat((System.nanoTime() - t) / 1e6).isLessThan(1_000);
        assertThat(out).extracting(Candidate::id).containsExactly("c", "d");
        assertThat(ctx.degraded()).contains("retrieval.broken:error", "retrieval.slow:timeout");
    }

    @Test
    void fallbackDoesNotRunWhenPrimariesFoundEnough() {
        var r = new CandidateRetriever(index, List.of(
                src(new Fixed("x", List.of("a", "b"), 0, false), false),
                src(new Fixed("popular", List.of("c"), 0, false), true)), 60, 2, 100, pool);
        assertThat(r.retrieve(ctx(), (s, n) -> { })).extracting(Candidate::id).containsExactly("a", "b");
    }

    @Test
    void hitsForDeletedItemsAreDropped() throws Exception {
        index.delete("a");
        var r = new CandidateRetriever(index, List.of(src(new Fixed("x", List.of("a", "b"), 0, false), false)), 60, 0, 100, pool);
        assertThat(r.retrieve(ctx(), (s, n) -> { })).extracting(Candidate::id).containsExactly("b");
    }
}
