package io.ranker.simulation;

import io.ranker.core.Item;
import io.ranker.features.FeatureSchema;
import io.ranker.features.FeatureStore;

import java.util.List;

/**
 * What a simulation runs in: a catalog, users with taste vectors (for the vector retrieval source), the features
 * the ranker is served, and the known truth behind clicks. The demo package's DemoWorld generates one; {@link MovieLensWorld}
 * derives one from the MovieLens ratings. The pipeline, explorer, log and experiments are the same for both.
 */
public interface SimulatedWorld {
    /** A simulated user: her id and the taste vector the vector source retrieves with (null: none). */
    record User(String id, float[] vector) {
    }

    /** One line for reports: where the world comes from and its size. */
    String description();

    /** Dimension of the item and user vectors. */
    int dimension();

    List<Item> items();

    List<User> users();

    /** Writes the item and user features the ranker is served into {@code store} (only those the schema stores). */
    void seedFeatures(FeatureSchema schema, FeatureStore store);

    /** The known truth with examination 1 / k^positionBias. */
    ClickModel clickModel(double positionBias);

    /** The simulator surface's pipeline (surface {@code sim}). */
    String pipelineYaml();

    /** The simulator surface's rules (stateless ones, so the truth of a request does not depend on history). */
    String policyYaml();
}
