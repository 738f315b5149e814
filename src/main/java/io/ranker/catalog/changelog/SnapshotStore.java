package io.ranker.catalog.changelog;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Where index snapshots are kept for new replicas to start from: a directory ({@link DirectorySnapshotStore}, which
 * can be a shared volume) today; an object store can implement the same four calls. A snapshot is the files of one
 * Lucene commit plus the changelog position that commit covers; it is immutable once stored, and {@link #list} shows
 * only complete ones.
 */
public interface SnapshotStore {
    /**
     * What one snapshot holds.
     *
     * @param files file name to size in bytes, as stored
     */
    record Snapshot(String name, ChangelogPosition position, int items, int dimension, String similarity, Instant created,
                    String source, Map<String, Long> files) {
        public long bytes() {
            return files.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Every complete snapshot, the newest position first. */
    List<Snapshot> list() throws IOException;

    /** Stores {@code files} of {@code dir} as the snapshot described (whose {@code files} the store fills in). */
    Snapshot put(Snapshot description, Path dir, Collection<String> files) throws IOException;

    /** Copies the snapshot's files into {@code target}, which must be empty or absent, and checks their sizes. */
    void fetch(Snapshot snapshot, Path target) throws IOException;

    void delete(Snapshot snapshot) throws IOException;

    /** Where it is, for logs and messages. */
    String location();
}
