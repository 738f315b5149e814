package io.ranker.app;

import io.ranker.catalog.CatalogIndex;
import io.ranker.pipeline.RankingPipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Fills an empty service at start (the demo: catalog, features, a trained model). The runtime calls it at two
 * points of its start and never on the request path, so serving code neither knows nor imports what is seeded.
 * Implementations are CDI beans; with none, the service starts with whatever its data directory holds.
 */
public interface StartupSeeding {
    /** Before the pipeline is built: may fill an empty catalog and the feature store. */
    void seedData(CatalogIndex index, Path dataDir) throws IOException;

    /**
     * Once the pipeline is built and scoring has started: may train and promote a model for the surfaces that
     * have none.
     *
     * @param featureNames the feature schema's names in candidate vector order
     */
    void seedModels(RankingPipeline pipeline, Set<String> surfaces, List<String> featureNames);
}
