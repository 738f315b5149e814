package io.ranker.pipeline;

import io.ranker.catalog.CatalogIndex;
import io.ranker.core.Explorer;
import io.ranker.features.FeatureCodec;
import io.ranker.features.FeatureGroup;
import io.ranker.features.FeatureSpec;
import io.ranker.features.FeatureType;
import io.ranker.features.StoreFeatureHydrator;
import io.ranker.features.StoredFeatures;
import io.ranker.core.AttributeFilter;
import io.ranker.core.CandidateSource;
import io.ranker.retrieval.CandidateRetriever;
import io.ranker.retrieval.SourceContext;
import io.ranker.retrieval.SuppliedIdsSource;
import io.ranker.retrieval.UserVectors;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

/**
 * Builds the runtime objects of a surface (sources, retriever, explorer) from its configuration. Each source is
 * built by its own type ({@link io.ranker.retrieval.SourceTypes}); this class only offers them the surface.
 */
public final class SurfaceFactory {
    private final CatalogIndex index;
    private final StoreFeatureHydrator features;
    private final ExecutorService retrievalExecutor;
    private final Function<PipelineConfig, Explorer> explorers;

    /**
     * @param features where {@code vector: user} sources read the user's vector: the hydrator's store, key, hot
     *                 cache and circuit breaker, so the request's hydration finds the user's row already cached
     */
    public SurfaceFactory(CatalogIndex index, StoreFeatureHydrator features, ExecutorService retrievalExecutor,
                          Function<PipelineConfig, Explorer> explorers) {
        this.index = index;
        this.features = features;
        this.retrievalExecutor = retrievalExecutor;
        this.explorers = explorers;
    }

    /**
     * @throws IllegalArgumentException when a source does not fit this service (e.g. a user vector feature the
     *                                  feature schema does not declare)
     */
    public Surface build(PipelineConfig config) {
        SourceContext surface = new SourceContext() {
            @Override
            public CatalogIndex index() { return index; }

            @Override
            public List<AttributeFilter> filters() { return config.filters(); }

            @Override
            public UserVectors userVectors(String feature) { return SurfaceFactory.userVectors(features, feature); }

            @Override
            public long userRowBudgetMillis() {
                // the user's row gets the wait its hydration would get, never more than retrieval's
                return Math.min(config.budgets().featuresMs(), config.budgets().retrievalMs());
            }
        };
        List<CandidateRetriever.ConfiguredSource> sources = new ArrayList<>();
        boolean hasSupplied = false;
        for (PipelineConfig.SourceConfig sc : config.sources()) {
            CandidateSource s = sc.source().build(sc.name(), surface);
            hasSupplied |= sc.source().type() == SuppliedIdsSource.TYPE;
            sources.add(new CandidateRetriever.ConfiguredSource(s, sc.limit(), sc.weight(), sc.fallback()));
        }
        if (!hasSupplied) {
            // Caller-supplied ids always count as a source: a client that sends candidateIds expects them used.
            sources.add(0, new CandidateRetriever.ConfiguredSource(new SuppliedIdsSource(index), config.maxLimit() * 10, 1.0, false));
        }
        CandidateRetriever retriever = new CandidateRetriever(index, sources, config.fusion().k(), config.minCandidates(),
                config.budgets().retrievalMs(), retrievalExecutor);
        return new Surface(config, retriever, explorers.apply(config));
    }

    /** Reads {@code feature} from the user's stored row; refuses a name the schema does not declare as a user vector. */
    static UserVectors userVectors(StoreFeatureHydrator features, String feature) {
        FeatureSpec spec = features.schema().feature(feature);
        if (spec == null || spec.group() != FeatureGroup.USER || spec.type() != FeatureType.VECTOR) {
            throw new IllegalArgumentException("vector source: '" + feature + "' is not a user feature of type vector in "
                    + "the feature schema");
        }
        int nameId = FeatureCodec.nameId(feature);
        return (userId, budgetMillis) -> {
            StoredFeatures row = features.userFeatures(userId, budgetMillis);
            return row == null ? null : row.vector(nameId);
        };
    }
}
