package io.ranker.catalog.changelog;

import io.ranker.catalog.CatalogIndex;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.FSDirectory;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Bootstrap and compaction of the shared catalog: {@link #take} stores the index's last commit with the position it
 * covers; {@link #restoreInto} gives a new replica the newest snapshot before its index opens (it then tails the
 * changelog from that position); {@link #retainAndTrim} keeps the newest {@code keep} snapshots and trims the stream
 * up to the oldest of them, never further, so the newest snapshot plus the stream always hold the whole catalog.
 */
public final class CatalogSnapshots {
    private static final Logger LOG = Logger.getLogger(CatalogSnapshots.class);

    private final SnapshotStore store;

    public CatalogSnapshots(SnapshotStore store) {
        this.store = store;
    }

    public SnapshotStore store() { return store; }

    /** Commits the index at the applier's position and stores that commit. */
    public SnapshotStore.Snapshot take(CatalogIndex index, ChangelogApplier applier, String source) throws IOException {
        ChangelogPosition at = applier.position();
        if (at.epoch() == null) throw new IllegalStateException("the index has not joined a changelog yet");
        return index.withLastCommit(at.toCommitData(), (dir, files, data, items) -> {
            ChangelogPosition p = ChangelogPosition.fromCommitData(data);
            SnapshotStore.Snapshot s = new SnapshotStore.Snapshot(DirectorySnapshotStore.nameFor(p), p, items, index.dimension(),
                    index.similarity().name().toLowerCase(java.util.Locale.ROOT), Instant.now(), source, java.util.Map.of());
            long t = System.nanoTime();
            SnapshotStore.Snapshot stored = store.put(s, dir, files);
            LOG.infof("catalog snapshot %s stored in %s: %d items at %s, %.1f MB in %d ms", stored.name(), store.location(), stored.items(),
                    p.lastId(), stored.bytes() / 1e6, (System.nanoTime() - t) / 1_000_000);
            return stored;
        });
    }

    /** The newest snapshot of this changelog ({@code epoch}; any epoch when null), if any. */
    public Optional<SnapshotStore.Snapshot> newest(String epoch) throws IOException {
        return store.list().stream().filter(s -> epoch == null || epoch.equals(s.position().epoch())).findFirst();
    }

    /**
     * Restores the newest snapshot into {@code indexDir} when that directory holds no index yet.
     *
     * @param epoch the changelog's epoch (null when Redis cannot be asked now: the tailer checks it later)
     * @return the snapshot restored, or empty (an index exists already, or there is no snapshot)
     */
    public Optional<SnapshotStore.Snapshot> restoreInto(Path indexDir, String epoch, int dimension) throws IOException {
        if (hasIndex(indexDir)) return Optional.empty();
        Optional<SnapshotStore.Snapshot> newest = newest(epoch);
        if (newest.isEmpty()) return newest;
        SnapshotStore.Snapshot s = newest.get();
        if (s.dimension() != dimension) {
            throw new IllegalStateException("the newest snapshot " + s.name() + " in " + store.location() + " holds " + s.dimension()
                    + "-d vectors; this replica is set to " + dimension);
        }
        long t = System.nanoTime();
        Path partial = indexDir.resolveSibling(indexDir.getFileName() + ".restoring");
        DirectorySnapshotStore.deleteTree(partial);
        store.fetch(s, partial);
        try (FSDirectory d = FSDirectory.open(partial); DirectoryReader r = DirectoryReader.open(d)) {
            if (r.numDocs() != s.items()) {
                throw new IOException("snapshot " + s.name() + " holds " + r.numDocs() + " items, its manifest says " + s.items() + ": not restoring it");
            }
        }
        DirectorySnapshotStore.deleteTree(indexDir);
        Files.move(partial, indexDir, StandardCopyOption.ATOMIC_MOVE);
        LOG.infof("catalog: restored snapshot %s (%d items at %s, %.1f MB) from %s in %d ms; tailing the changelog from there",
                s.name(), s.items(), s.position().lastId(), s.bytes() / 1e6, store.location(), (System.nanoTime() - t) / 1_000_000);
        return newest;
    }

    /**
     * Replaces an index the changelog was trimmed past (its replica was down or behind for longer than the snapshots
     * kept) with the newest snapshot, which then covers its gap. Does nothing for an index the stream still covers, of
     * another epoch (an operator's decision), or when there is no newer snapshot.
     *
     * @return the snapshot restored, or empty
     */
    public Optional<SnapshotStore.Snapshot> replaceIfTrimmedPast(Path indexDir, RedisChangelog.Info head, String epoch, int dimension)
            throws IOException {
        if (!hasIndex(indexDir)) return Optional.empty();
        Map<String, String> data;
        try (FSDirectory d = FSDirectory.open(indexDir)) {
            data = SegmentInfos.readLatestCommit(d).getUserData();
        }
        ChangelogPosition at = ChangelogPosition.fromCommitData(data);
        if (at == null || !at.epoch().equals(epoch) || !head.trimmedPast(at)) return Optional.empty();
        Optional<SnapshotStore.Snapshot> newest = newest(epoch);
        if (newest.isEmpty() || !newest.get().position().lastId().isAfter(at.lastId()) || head.trimmedPast(newest.get().position())) {
            return Optional.empty();
        }
        LOG.warnf("catalog: the changelog was trimmed past this index's position %s (first entry now %s): replacing the index with snapshot %s",
                at.lastId(), head.firstEntry(), newest.get().name());
        DirectorySnapshotStore.deleteTree(indexDir);
        return restoreInto(indexDir, epoch, dimension);
    }

    static boolean hasIndex(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return false;
        try (FSDirectory d = FSDirectory.open(dir)) {
            return DirectoryReader.indexExists(d);
        }
    }

    /**
     * Deletes this changelog's snapshots beyond the newest {@code keep}, then trims the stream before the oldest one
     * kept (XTRIM MINID). Snapshots of other epochs are left alone.
     *
     * @return entries trimmed
     */
    public long retainAndTrim(String epoch, int keep, RedisChangelog log, boolean trim) throws IOException {
        List<SnapshotStore.Snapshot> mine = store.list().stream().filter(s -> epoch.equals(s.position().epoch())).toList();
        for (SnapshotStore.Snapshot old : mine.subList(Math.min(keep, mine.size()), mine.size())) {
            store.delete(old);
            LOG.infof("catalog snapshot %s deleted (keeping the newest %d)", old.name(), keep);
        }
        if (!trim || mine.isEmpty()) return 0;
        SnapshotStore.Snapshot oldestKept = mine.get(Math.min(keep, mine.size()) - 1);
        long removed = log.trim(oldestKept.position().lastId());
        if (removed > 0) LOG.infof("catalog changelog trimmed: %d entries before %s (snapshot %s)", removed, oldestKept.position().lastId(), oldestKept.name());
        return removed;
    }
}
