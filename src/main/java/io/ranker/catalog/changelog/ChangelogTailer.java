package io.ranker.catalog.changelog;

import io.ranker.catalog.CatalogIndex;
import io.ranker.catalog.CatalogUnavailableException;
import org.apache.lucene.search.ReferenceManager;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

/**
 * Follows the changelog on one replica: one thread reads entries after the applied position ({@code XREAD BLOCK}),
 * applies them in batches ({@link ChangelogApplier}), commits the index with the position at most every
 * {@code commitInterval}, and reads the stream's head every {@code headInterval} for the lag.
 * Redis failures never stop it: it backs off, retries and catches up when Redis is back, without a restart.
 *
 * <p>It also tells writers when their entry is applied (DELETE's outcome) and when it is searchable on this replica
 * ({@code ?wait=applied}): a search sees an entry once a refresh that started after the entry was applied has ended.
 *
 * <p>Readiness: a replica becomes ready once it is within {@code readyLag}/{@code readyLagEntries} of the head, and
 * then stays ready until its oldest unapplied entry is older than {@code unreadyLag}. A bulk load delays every
 * replica alike; taking them all out of the load balancer for it would turn a slow catalog into an outage.
 * While Redis is unreachable, a replica that has a committed position serves what it has (and stays ready).
 */
public final class ChangelogTailer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ChangelogTailer.class);
    static final long EAGER_REFRESH_NANOS = 100_000_000L;

    public enum State {
        /** not yet in touch with Redis since start */
        CONNECTING,
        /** reading and applying */
        FOLLOWING,
        /** Redis does not answer; retrying */
        UNREACHABLE,
        /** this index cannot follow this changelog (see {@link #failure}): not ready until an operator acts */
        FAILED
    }

    public record Settings(int batchSize, Duration block, Duration commitInterval, Duration headInterval,
                           Duration readyLag, long readyLagEntries, Duration unreadyLag) {
    }

    private final RedisChangelog log;
    private final CatalogIndex index;
    private final ChangelogApplier applier;
    private final Settings settings;
    private final String similarity;
    private final boolean startedFromCommit;
    private final Object progress = new Object();
    private final AtomicInteger visibleWaiters = new AtomicInteger();
    private final Deque<long[]> unseenBatches = new ArrayDeque<>();
    private volatile LongConsumer visibilityMillis = ms -> { };
    private volatile StreamId visible;
    private volatile StreamId refreshing;
    private volatile State state = State.CONNECTING;
    private volatile String failure;
    private volatile String lastError;
    private volatile RedisChangelog.Info head;
    private volatile long nextUnappliedMillis = -1;
    private volatile long lastRefreshNanos = System.nanoTime();
    private volatile boolean caughtUp;
    private volatile boolean metaChecked;
    private volatile boolean running = true;
    private long lastCommitNanos = System.nanoTime();
    private long lastHeadNanos;
    private Thread thread;

    public ChangelogTailer(RedisChangelog log, CatalogIndex index, ChangelogApplier applier, String similarity, Settings settings) {
        this.log = log;
        this.index = index;
        this.applier = applier;
        this.similarity = similarity;
        this.settings = settings;
        this.startedFromCommit = applier.position().epoch() != null;
        this.visible = applier.position().lastId();
        index.addRefreshListener(new ReferenceManager.RefreshListener() {
            @Override
            public void beforeRefresh() {
                refreshing = applier.position().lastId();
            }

            @Override
            public void afterRefresh(boolean didRefresh) {
                lastRefreshNanos = System.nanoTime();
                becameVisible(refreshing);
            }
        });
    }

    /** Reports how long each entry took from its append to searchable here (after the first catch-up only). */
    public void onVisible(LongConsumer millis) {
        this.visibilityMillis = millis;
    }

    public ChangelogTailer start() {
        thread = new Thread(this::run, "catalog-changelog");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    private void run() {
        long backoff = 100;
        while (running) {
            try {
                if (!metaChecked) checkMeta();
                if (state == State.FAILED) {
                    sleep(1000);
                    continue;
                }
                if (System.nanoTime() - lastHeadNanos >= settings.headInterval().toNanos()) readHead();
                if (state == State.FAILED) continue;
                List<ChangelogEntry.Raw> entries = log.read(applier.position().lastId(), settings.batchSize(), settings.block());
                reachable();
                if (!entries.isEmpty()) applyBatch(entries);
                if (applier.hasUncommitted() && System.nanoTime() - lastCommitNanos >= settings.commitInterval().toNanos()) commit();
                backoff = 100;
            } catch (CatalogUnavailableException e) {
                if (state != State.UNREACHABLE && state != State.FAILED) LOG.warnf("catalog changelog: %s; retrying", e.getMessage());
                if (state != State.FAILED) state = State.UNREACHABLE;
                lastError = e.getMessage();
                sleep(backoff);
                backoff = Math.min(2000, backoff * 2);
            } catch (IOException | RuntimeException e) {
                // the index failed (disk full, ...), not the entry: retry from the same position
                lastError = e.toString();
                LOG.errorf(e, "catalog changelog: applying at %s failed; retrying", applier.position().lastId());
                sleep(backoff);
                backoff = Math.min(5000, backoff * 2);
            }
        }
    }

    private void checkMeta() {
        RedisChangelog.Meta meta = log.meta(index.dimension(), similarity);
        reachable();
        if (meta.dimension() != index.dimension() || !meta.similarity().equalsIgnoreCase(similarity)) {
            fail("the changelog holds " + meta.dimension() + "-d vectors with " + meta.similarity() + " similarity; this replica is set to "
                    + index.dimension() + "-d " + similarity + " (ranking.catalog.vector-dimension, vector-similarity must match)");
        } else if (applier.position().epoch() == null) {
            applier.adoptEpoch(meta.epoch());
        } else if (!applier.position().epoch().equals(meta.epoch())) {
            fail("this index was built from changelog epoch " + applier.position().epoch() + " but Redis holds epoch " + meta.epoch()
                    + " (Redis was emptied or is another deployment's): move the index directory aside to rebuild it from this changelog");
        }
        metaChecked = true;
    }

    private void readHead() {
        RedisChangelog.Info info = log.info();
        lastHeadNanos = System.nanoTime();
        reachable();
        ChangelogPosition p = applier.position();
        if (info.trimmedPast(p)) {
            fail("the changelog was trimmed past this replica's position " + p.lastId() + " (first entry now " + info.firstEntry()
                    + "): restart it; at start it replaces its index with the newest snapshot (ranking.catalog.snapshot.dir)");
            return;
        }
        if (!info.lastGenerated().isAfter(p.lastId())) {
            if (p.consumed() != info.entriesAdded() && p.lastId().equals(info.lastGenerated())) applier.recount(info.entriesAdded());
            nextUnappliedMillis = -1;
        }
        head = info;
        if (!caughtUp && lagEntries() <= settings.readyLagEntries() && lagMillis() <= settings.readyLag().toMillis()) {
            caughtUp = true;
            LOG.infof("catalog changelog: caught up at %s (%d entries consumed, %d items)", p.lastId(), p.consumed(), index.size());
        }
    }

    private void applyBatch(List<ChangelogEntry.Raw> entries) throws IOException {
        nextUnappliedMillis = entries.get(0).id().millis();
        applier.apply(entries);
        if (caughtUp) {
            long[] batch = new long[entries.size() + 2];
            StreamId last = entries.get(entries.size() - 1).id();
            batch[0] = last.millis();
            batch[1] = last.sequence();
            for (int i = 0; i < entries.size(); i++) batch[i + 2] = entries.get(i).id().millis();
            synchronized (unseenBatches) {
                unseenBatches.addLast(batch);
            }
        }
        // a full batch means more are waiting: the next read comes at once; the last one bounds the next's age
        nextUnappliedMillis = entries.size() >= settings.batchSize() ? entries.get(entries.size() - 1).id().millis() : -1;
        synchronized (progress) {
            progress.notifyAll();
        }
        // Searchable at once when someone waits for it, or when the searchers were not refreshed for a while (a trickle
        // of writes: visibility is then the apply time, not up to refresh-millis); under a steady stream the refreshes
        // stay at most one per EAGER_REFRESH_NANOS plus the periodic one, so tiny segments do not pile up.
        if (visibleWaiters.get() > 0 || System.nanoTime() - lastRefreshNanos >= EAGER_REFRESH_NANOS) index.refresh();
    }

    private void becameVisible(StreamId upTo) {
        if (upTo == null) return;
        synchronized (progress) {
            if (upTo.isAfter(visible)) visible = upTo;
            progress.notifyAll();
        }
        long now = System.currentTimeMillis();
        LongConsumer sink = visibilityMillis;
        synchronized (unseenBatches) {
            while (!unseenBatches.isEmpty()) {
                long[] b = unseenBatches.peekFirst();
                if (new StreamId(b[0], b[1]).isAfter(upTo)) break;
                unseenBatches.removeFirst();
                for (int i = 2; i < b.length; i++) sink.accept(Math.max(0, now - b[i]));
            }
        }
    }

    /** Commits now (the loop does so every commitInterval; call it at shutdown). */
    public synchronized void commit() throws IOException {
        if (applier.position().epoch() == null || !applier.hasUncommitted()) return;
        applier.commit();
        lastCommitNanos = System.nanoTime();
    }

    private void reachable() {
        if (state == State.CONNECTING || state == State.UNREACHABLE) {
            if (state == State.UNREACHABLE) LOG.infof("catalog changelog: Redis reachable again; catching up from %s", applier.position().lastId());
            state = State.FOLLOWING;
        }
    }

    private void fail(String why) {
        if (state != State.FAILED) LOG.errorf("catalog changelog: %s", why);
        failure = why;
        state = State.FAILED;
    }

    /** Waits until this replica has applied the entry; false on timeout. */
    public boolean awaitApplied(StreamId entry, Duration timeout) throws InterruptedException {
        return await(() -> !entry.isAfter(applier.position().lastId()), timeout);
    }

    /** Waits until a search on this replica sees the entry; false on timeout. */
    public boolean awaitVisible(StreamId entry, Duration timeout) throws InterruptedException {
        visibleWaiters.incrementAndGet();
        try {
            // applied before we registered: the loop will not refresh for us, so refresh here
            if (!entry.isAfter(applier.position().lastId()) && entry.isAfter(visible)) {
                try {
                    index.refresh();
                } catch (IOException e) {
                    // the background refresh will make it visible
                }
            }
            return await(() -> !entry.isAfter(visible), timeout);
        } finally {
            visibleWaiters.decrementAndGet();
        }
    }

    private boolean await(java.util.function.BooleanSupplier done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (!done.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                TimeUnit.NANOSECONDS.timedWait(progress, left);
            }
            return true;
        }
    }

    /** Entries in the stream this replica has not consumed yet (as of the last head read). */
    public long lagEntries() {
        RedisChangelog.Info h = head;
        if (h == null) return 0;
        return Math.max(0, h.entriesAdded() - applier.position().consumed());
    }

    /** Age of the oldest entry this replica has not applied; 0 when it has applied everything it knows of. */
    public long lagMillis() {
        long next = nextUnappliedMillis;
        return next < 0 ? 0 : Math.max(0, System.currentTimeMillis() - next);
    }

    public boolean ready() {
        return switch (state) {
            case FAILED, CONNECTING -> false;
            case UNREACHABLE -> caughtUp || startedFromCommit;
            case FOLLOWING -> caughtUp && lagMillis() <= settings.unreadyLag().toMillis();
        };
    }

    public State state() { return state; }

    /** Why the state is FAILED, or null. */
    public String failure() { return failure; }

    /** The last Redis or index error (for the status endpoint), or null. */
    public String lastError() { return lastError; }

    public RedisChangelog.Info head() { return head; }

    public StreamId visible() { return visible; }

    public boolean caughtUp() { return caughtUp; }

    public ChangelogApplier applier() { return applier; }

    private void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Stops the loop and commits what was applied. */
    @Override
    public void close() throws IOException {
        running = false;
        if (thread != null) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5) + settings.block().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (index.isOpen()) commit();
    }
}
