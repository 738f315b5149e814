package io.ranker.retrieval;

import io.ranker.core.CandidateSource;
import io.ranker.catalog.CatalogIndex;
import io.ranker.catalog.VectorQuantization;
import io.ranker.core.AttributeFilter;
import io.ranker.core.RankingContext;
import io.ranker.core.SourceHit;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.RescoreTopNQuery;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * HNSW nearest neighbours with attribute pre-filters (Lucene applies the filter inside graph search, so a
 * selective filter still returns {@code limit} matching items). The query vector is the request's
 * {@code queryVector} when it sends one, else, when {@code userVectors} is set, the user's vector (feeds), read
 * within {@code userVectorBudgetMillis}; a user without a vector gets no hits from this source.
 */
public final class VectorSource implements CandidateSource {
    /**
     * {@code type: vector}; {@code vector: query} (the request's queryVector) or {@code user} (the request's
     * queryVector when it sends one, else the user's stored vector {@code feature}, default {@code user_vector});
     * {@code efSearch} (default 100).
     */
    public static final SourceType<Settings> TYPE = new SourceType<>("vector", Set.of("vector", "feature", "efSearch"),
            Settings::read, (name, s, surface) -> new VectorSource(name, surface.index(),
                    s.fromUser() ? surface.userVectors(s.userFeature()) : null,
                    surface.userRowBudgetMillis(), surface.filters(), s.efSearch()));

    /**
     * @param fromUser    {@code vector: user}
     * @param userFeature with {@code fromUser}: the user's stored vector feature (features.yaml)
     */
    public record Settings(boolean fromUser, String userFeature, int efSearch) {
        static Settings read(SourceSettings in) {
            String vector = in.string("vector", "query");
            if (!vector.equals("query") && !vector.equals("user")) in.error("vector", "'query' or 'user'");
            if (in.has("feature") && !vector.equals("user")) {
                in.error("feature", "names the user's vector feature; only a source with type: vector, vector: user reads it");
            }
            return new Settings(vector.equals("user"), in.string("feature", "user_vector"),
                    in.integer("efSearch", 100, 1, 10_000));
        }
    }

    private final String name;
    private final CatalogIndex index;
    private final UserVectors userVectors;
    private final long userVectorBudgetMillis;
    private final List<AttributeFilter> pipelineFilters;
    private final int efSearch;

    /**
     * @param userVectors            null to use only the request's query vector
     * @param userVectorBudgetMillis the longest a request waits for its user's vector (part of the retrieval budget)
     * @param efSearch               candidates explored in the graph (>= limit); higher buys recall with latency
     */
    public VectorSource(String name, CatalogIndex index, UserVectors userVectors, long userVectorBudgetMillis,
                        List<AttributeFilter> pipelineFilters, int efSearch) {
        this.name = name;
        this.index = index;
        this.userVectors = userVectors;
        this.userVectorBudgetMillis = userVectorBudgetMillis;
        this.pipelineFilters = List.copyOf(pipelineFilters);
        this.efSearch = efSearch;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean appliesTo(RankingContext ctx) {
        // Whether the user has a vector is known only after reading it, which is retrieve's job (within the budget).
        return ctx.request().queryVector() != null || (userVectors != null && hasUser(ctx));
    }

    private static boolean hasUser(RankingContext ctx) {
        return ctx.request().userId() != null && !ctx.request().userId().isBlank();
    }

    @Override
    public List<SourceHit> retrieve(RankingContext ctx, int limit) throws Exception {
        float[] vector = ctx.request().queryVector();
        if (vector == null && userVectors != null && hasUser(ctx)) {
            vector = userVectors.vectorOf(ctx.request().userId(), userVectorBudgetMillis);
            if (vector != null && vector.length != index.dimension()) {
                throw new IllegalStateException("the user's vector has " + vector.length + " dimensions, the catalog's "
                        + index.dimension());
            }
        }
        if (vector == null) return List.of();
        List<AttributeFilter> all = new ArrayList<>(pipelineFilters);
        all.addAll(ctx.request().filters());
        Query filter = FilterQueries.of(all);
        int k = Math.max(limit, efSearch);
        IndexSearcher searcher = index.acquire();
        try {
            Query knn = new KnnFloatVectorQuery(CatalogIndex.VECTOR, vector, k, filter);
            if (index.vectorQuantization() != VectorQuantization.NONE) {
                // The graph ranks by quantized distances: rescore its k candidates on the float vectors, so the
                // order and the scores (a feature of the model) are the exact ones.
                knn = RescoreTopNQuery.createFullPrecisionRescorerQuery(knn, vector, CatalogIndex.VECTOR, k);
            }
            var top = searcher.search(knn, k);
            List<SourceHit> hits = SearchHits.toHits(name, searcher, top);
            return hits.size() > limit ? hits.subList(0, limit) : hits;
        } finally {
            index.release(searcher);
        }
    }
}
