package io.ranker.catalog;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** Catalog and index settings ({@code ranking.catalog.*}). */
@ConfigMapping(prefix = "ranking.catalog")
public interface CatalogSettings {
    /** Dimension every item vector and query vector must have. */
    @WithName("vector-dimension")
    @WithDefault("64")
    int vectorDimension();

    /** cosine, dot_product, euclidean or maximum_inner_product (Lucene's VectorSimilarityFunction). */
    @WithName("vector-similarity")
    @WithDefault("cosine")
    String vectorSimilarity();

    /**
     * none (float vectors) or int8 (the HNSW graph on one byte per dimension, candidates rescored on the floats):
     * see {@link VectorQuantization}.
     */
    @WithName("vector-quantization")
    @WithDefault("none")
    VectorQuantization vectorQuantization();

    /** Upper bound on how stale a query may see the index after an upsert or delete. */
    @WithName("refresh-millis")
    @WithDefault("200")
    int refreshMillis();

    /**
     * Distinct attribute names the catalog may hold; an item that would add names beyond it is rejected (422).
     * Each name costs index structures and filter bookkeeping on every later write.
     */
    @WithName("max-attribute-names")
    @WithDefault("1000")
    int maxAttributeNames();

    /** Items the demo seeding generates on an empty data directory (0 disables seeding). */
    @WithName("demo-items")
    @WithDefault("20000")
    int demoItems();
}
