package io.ranker.scoring;

import java.util.List;
import java.util.Optional;

/**
 * Model files shared between replicas, by version (a content hash). A replica registers an uploaded model in its
 * own data directory and publishes it here; another replica that must serve it fetches it, checks the bytes against
 * the recorded SHA-256 and the version hash, stores it in its own data directory and loads it (with the model's
 * test prediction) before it can route to it. {@link #NONE} in the single-node mode, where the data directory is
 * the store.
 */
public interface ModelArtifacts {

    /** A stored model: its bytes, its manifest (JSON) and its format (ubj or json). */
    record Artifact(String version, byte[] model, byte[] manifest, String format) {
    }

    /** A listed version: its manifest and file name, without the model bytes. */
    record Listed(String version, byte[] manifest, String file) {
    }

    /** Publishes a registered model (idempotent: the same version twice is one). */
    void publish(Artifact artifact);

    /**
     * The model's files, verified (recorded SHA-256 of the bytes); empty when the version is unknown.
     *
     * @throws ModelRejectedException the stored bytes do not match their checksum
     */
    Optional<Artifact> fetch(String version);

    /** Every published version with its manifest. */
    List<Listed> list();

    ModelArtifacts NONE = new ModelArtifacts() {
        @Override
        public void publish(Artifact artifact) {
        }

        @Override
        public Optional<Artifact> fetch(String version) {
            return Optional.empty();
        }

        @Override
        public List<Listed> list() {
            return List.of();
        }
    };
}
