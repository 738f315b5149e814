package io.ranker.retrieval;

import io.ranker.catalog.CatalogIndex;
import io.ranker.catalog.VectorQuantization;
import io.ranker.demo.DemoCatalog;
import io.ranker.core.Item;
import io.ranker.core.RankRequest;
import io.ranker.core.RankingContext;
import io.ranker.core.SourceHit;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TopDocs;
import org.openjdk.jmh.annotations.*;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Retrieval on the demo catalog (items = -p items=..., 64-d vectors, the service's CatalogIndex): our Bm25Source /
 * VectorSource (query building, search, hits with item ids) vs a raw IndexSearcher.search of the same prebuilt query.
 * Queries rotate over a few demo phrases / item vectors.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class RetrievalBench {
    static final String[] QUERIES = {"running shoes", "rain jacket", "gaming laptop", "noise cancelling headphones", "espresso beans", "leather wallet"};

    @Param({"20000"})
    int items;

    /** BM25 top-n (the shipped search pipeline asks for 500; the load tests' reference pipeline for 250). */
    @Param({"500"})
    int bm25Limit;

    /** HNSW k = efSearch (shipped search: 200; reference: 250). */
    @Param({"200"})
    int k;

    /** ranking.catalog.vector-quantization: none or int8 (VectorSource then rescores on the float vectors). */
    @Param({"none"})
    String quantization;

    Path dir;
    CatalogIndex index;
    Bm25Source bm25;
    VectorSource vector;
    RankingContext[] textCtx, vectorCtx;
    Query[] rawText, rawVector;
    int i;

    @Setup
    public void setup() throws Exception {
        // Built once per catalog size and reused by later forks; closed after building so that background
        // segment merges (HNSW graph merging is CPU-heavy) are finished before anything is measured.
        VectorQuantization vq = VectorQuantization.parse(quantization);
        dir = Path.of("target", "bench-index-" + items + (vq == VectorQuantization.NONE ? "" : "-" + vq.configName()));
        List<Item> all = new DemoCatalog(64, 42).generate(items, 42);
        index = new CatalogIndex(dir, 64, "cosine", vq, 1000);
        if (index.size() != items) {
            for (int from = 0; from < all.size(); from += 5000) index.upsert(all.subList(from, Math.min(all.size(), from + 5000)));
            index.refresh();
            index.close();
            index = new CatalogIndex(dir, 64, "cosine", vq, 1000);
        }
        bm25 = new Bm25Source("bm25", index, Map.of("title", 2f, "text", 1f), List.of());
        vector = new VectorSource("vector", index, null, 0, List.of(), k);
        textCtx = new RankingContext[QUERIES.length];
        vectorCtx = new RankingContext[QUERIES.length];
        rawText = new Query[QUERIES.length];
        rawVector = new Query[QUERIES.length];
        for (int q = 0; q < QUERIES.length; q++) {
            textCtx[q] = new RankingContext(new RankRequest("search", "u1", QUERIES[q], null, Map.of(), null, 10, false, null), "i", q);
            rawText[q] = bm25.buildQuery(QUERIES[q], List.of());
            float[] v = all.get(q * 997 % all.size()).vector();
            vectorCtx[q] = new RankingContext(new RankRequest("search", "u1", null, v, Map.of(), null, 10, false, null), "i", q);
            rawVector[q] = new KnnFloatVectorQuery(CatalogIndex.VECTOR, v, k, null);
        }
    }

    @TearDown
    public void tearDown() throws Exception {
        index.close();
    }

    private TopDocs raw(Query q, int n) throws Exception {
        IndexSearcher s = index.acquire();
        try {
            return s.search(q, n);
        } finally {
            index.release(s);
        }
    }

    @Benchmark
    public TopDocs rawBm25() throws Exception { return raw(rawText[i++ % rawText.length], bm25Limit); }

    @Benchmark
    public List<SourceHit> bm25Source() throws Exception { return bm25.retrieve(textCtx[i++ % textCtx.length], bm25Limit); }

    @Benchmark
    public TopDocs rawHnsw() throws Exception { return raw(rawVector[i++ % rawVector.length], k); }

    @Benchmark
    public List<SourceHit> vectorSource() throws Exception { return vector.retrieve(vectorCtx[i++ % vectorCtx.length], k); }
}
