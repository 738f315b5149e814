package io.ranker.catalog.changelog;

import io.ranker.catalog.CatalogIndex;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A snapshot taken without any replica (the {@code index snapshot} command, e.g. as a cron job): the newest snapshot
 * in the store (if any) is restored into a work directory, the changelog is applied from its position up to the head
 * as it was when the job began, and that index is stored as the new snapshot; then retention and trimming as after a
 * scheduled snapshot.
 */
public final class OfflineSnapshot {
    /** What the job did. */
    public record Result(SnapshotStore.Snapshot snapshot, String restoredFrom, long entriesRead, long applied, long skipped, long trimmed) {
    }

    private OfflineSnapshot() {
    }

    public static Result run(RedisChangelog log, CatalogSnapshots snapshots, Path workDir, int keep, boolean trim, int dimension,
                             String similarity) throws IOException {
        RedisChangelog.Meta meta = log.meta(dimension, similarity);
        Path indexDir = workDir.resolve("index");
        DirectorySnapshotStore.deleteTree(indexDir);
        String restored = snapshots.restoreInto(indexDir, meta.epoch(), meta.dimension()).map(SnapshotStore.Snapshot::name).orElse(null);
        try (CatalogIndex index = new CatalogIndex(indexDir, meta.dimension(), meta.similarity(), 60_000)) {
            ChangelogPosition start = ChangelogPosition.fromCommitData(index.commitData());
            if (start == null) start = ChangelogPosition.start(meta.epoch());
            RedisChangelog.Info head = log.info();
            if (head.trimmedPast(start)) {
                throw new IllegalStateException("the changelog was trimmed past " + (restored == null ? "its start" : "snapshot " + restored)
                        + " (first entry now " + head.firstEntry() + "): this store does not hold the snapshot it was trimmed to");
            }
            ChangelogApplier applier = new ChangelogApplier(index, start);
            long read = 0;
            while (head.lastGenerated().isAfter(applier.position().lastId())) {
                List<ChangelogEntry.Raw> entries = log.read(applier.position().lastId(), 1000, Duration.ZERO);
                if (entries.isEmpty()) break;
                applier.apply(entries);
                read += entries.size();
            }
            SnapshotStore.Snapshot s = snapshots.take(index, applier, "index-snapshot-command");
            long trimmed = snapshots.retainAndTrim(meta.epoch(), keep, log, trim);
            return new Result(s, restored, read, applier.appliedCount(), applier.skippedCount(), trimmed);
        } finally {
            DirectorySnapshotStore.deleteTree(indexDir);
        }
    }
}
