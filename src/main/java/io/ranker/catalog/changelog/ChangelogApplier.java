package io.ranker.catalog.changelog;

import io.ranker.catalog.CatalogIndex;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Applies changelog entries to one replica's index, in stream order, and remembers how far it got.
 *
 * <ul>
 *   <li>Idempotent: an entry at or before the position is ignored, and an upsert older than the version stamped on the
 *       item's document (the entry that last wrote it) is a no-op; so replaying any suffix of the stream over a
 *       commit (after a crash, or over a snapshot) ends in the same index.</li>
 *   <li>Deterministic skips: an entry that cannot be decoded ({@link ChangelogEntry#decode}) or that Lucene refuses
 *       as a document is skipped, logged, counted and listed in {@link #recentSkips}; the decision depends on the
 *       entry alone, so every replica skips the same entries and the indexes stay equal. The position moves past
 *       it: a bad entry never stalls the replica.</li>
 *   <li>An {@link IOException} from the index is this replica's problem (disk), not the entry's: it propagates,
 *       the position stays before the entry, and the caller retries.</li>
 * </ul>
 * Writes are committed by {@link #commit}, with the position in the same commit's user data.
 * One thread applies; the position and counters may be read from any.
 */
public final class ChangelogApplier {
    private static final Logger LOG = Logger.getLogger(ChangelogApplier.class);
    static final int RECENT_SKIPS = 100;
    static final int DELETE_OUTCOMES = 50_000;

    /** An entry skipped by every replica, and why. */
    public record Skip(String entry, String itemId, String reason) {
    }

    /** What one {@link #apply} did. */
    public record Result(int applied, int ignored, int skipped) {
    }

    private final CatalogIndex index;
    private final int dimension;
    private volatile ChangelogPosition position;
    private volatile ChangelogPosition committed;
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final Deque<Skip> recentSkips = new ArrayDeque<>();
    /** Whether each recent delete found its item, so a DELETE can answer 204 or 404 as the single-node mode does. */
    private final Map<StreamId, Boolean> deleteOutcomes = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<StreamId, Boolean> eldest) {
            return size() > DELETE_OUTCOMES;
        }
    };

    public ChangelogApplier(CatalogIndex index, ChangelogPosition start) {
        this.index = index;
        this.dimension = index.dimension();
        this.position = start;
        this.committed = start;
    }

    /** Applies the entries in order (they must be in stream order); see the class comment for what is skipped. */
    public Result apply(List<ChangelogEntry.Raw> entries) throws IOException {
        int done = 0, ignored = 0, bad = 0;
        for (ChangelogEntry.Raw raw : entries) {
            ChangelogPosition at = position;
            if (!raw.id().isAfter(at.lastId())) {
                ignored++;
                continue;
            }
            try {
                ChangelogEntry.Change change = ChangelogEntry.decode(raw, dimension);
                if (change.isDelete()) {
                    boolean existed = index.remove(change.itemId());
                    synchronized (deleteOutcomes) {
                        deleteOutcomes.put(raw.id(), existed);
                    }
                    done++;
                } else if (isStale(change)) {
                    ignored++;
                } else {
                    index.put(change.item(), raw.id().toString());
                    done++;
                }
            } catch (ChangelogEntry.Unreadable e) {
                skip(raw, e.getMessage());
                bad++;
            } catch (IllegalArgumentException e) {
                // Lucene refuses the document itself (e.g. an immense term): the same on every replica
                skip(raw, "the index refuses the item: " + e.getMessage());
                bad++;
            }
            position = at.advance(raw.id());
        }
        applied.addAndGet(done);
        return new Result(done, ignored, bad);
    }

    private boolean isStale(ChangelogEntry.Change change) {
        String version = index.version(change.itemId());
        return version != null && !change.entry().isAfter(StreamId.parse(version));
    }

    private void skip(ChangelogEntry.Raw raw, String reason) {
        String itemId = raw.fields().get(ChangelogEntry.ID);
        LOG.warnf("catalog changelog entry %s (item %s) skipped, as on every replica: %s", raw.id(), itemId, reason);
        skipped.incrementAndGet();
        synchronized (recentSkips) {
            if (recentSkips.size() == RECENT_SKIPS) recentSkips.removeFirst();
            recentSkips.addLast(new Skip(raw.id().toString(), itemId, reason));
        }
    }

    /** Commits the index with the current position in the commit's user data. */
    public void commit() throws IOException {
        ChangelogPosition p = position;
        index.commit(p.toCommitData());
        committed = p;
    }

    public boolean hasUncommitted() { return !position.equals(committed); }

    public ChangelogPosition position() { return position; }

    public ChangelogPosition committed() { return committed; }

    /** Takes the changelog's epoch: a new index learns it before its first commit. */
    void adoptEpoch(String epoch) {
        ChangelogPosition p = position;
        position = new ChangelogPosition(epoch, p.lastId(), p.consumed());
    }

    /** Adopts a count of consumed entries learnt from the stream (see {@link ChangelogTailer}); the id is unchanged. */
    void recount(long consumed) {
        ChangelogPosition p = position;
        position = new ChangelogPosition(p.epoch(), p.lastId(), consumed);
    }

    /** Entries applied (upserts and deletes that changed the index) since start. */
    public long appliedCount() { return applied.get(); }

    /** Entries skipped since start. */
    public long skippedCount() { return skipped.get(); }

    /** The last {@value #RECENT_SKIPS} skipped entries, oldest first. */
    public List<Skip> recentSkips() {
        synchronized (recentSkips) {
            return new ArrayList<>(recentSkips);
        }
    }

    /** Whether the delete at {@code entry} found its item; null when it is not applied yet (or long forgotten). */
    public Boolean deleteOutcome(StreamId entry) {
        synchronized (deleteOutcomes) {
            return deleteOutcomes.get(entry);
        }
    }
}
