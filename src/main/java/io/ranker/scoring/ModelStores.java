package io.ranker.scoring;

import java.nio.file.Path;

/**
 * Where the scoring stage keeps its release state: the routing store and the shared model artifacts. Provided by
 * the state configuration ({@code ranking.state.store}); without one, the data directory ({@link #local}).
 */
public interface ModelStores {
    /** @param modelsDir {@code <data-dir>/models}, this replica's model files */
    RoutingStore routing(Path modelsDir);

    ModelArtifacts artifacts();

    /** The single-node stores: routing, rollback stacks and audit under {@code <data-dir>/models}; no sharing. */
    static ModelStores local(java.time.Clock clock) {
        return new ModelStores() {
            @Override
            public RoutingStore routing(Path modelsDir) {
                return new FileRoutingStore(modelsDir.resolve("routing.yaml"), new ModelAuditLog(modelsDir.resolve("audit.jsonl"), clock));
            }

            @Override
            public ModelArtifacts artifacts() {
                return ModelArtifacts.NONE;
            }
        };
    }
}
