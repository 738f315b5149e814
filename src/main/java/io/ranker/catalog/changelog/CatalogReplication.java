package io.ranker.catalog.changelog;

import io.micrometer.core.instrument.MeterRegistry;
import io.ranker.catalog.CatalogIndex;
import io.ranker.catalog.CatalogSettings;
import io.ranker.catalog.CatalogUnavailableException;
import io.ranker.catalog.CatalogWriter;
import io.ranker.catalog.LocalCatalogWriter;
import io.ranker.config.StateSettings;
import io.ranker.core.Item;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One catalog for every replica: with {@code ranking.state.store=redis}, catalog writes go to the changelog in Redis
 * and every replica applies it to its own index; otherwise ({@code local}) writes go straight to this node's index as
 * they always did. The runtime calls {@link #prepare} before it opens the index (a new replica restores the newest
 * snapshot), {@link #start} once it is open (which returns where writes go), and {@link #stop} before closing it.
 */
@ApplicationScoped
public class CatalogReplication {
    private static final Logger LOG = Logger.getLogger(CatalogReplication.class);

    private final boolean enabled;
    private final CatalogSettings catalog;
    private final ChangelogSettings settings;
    private final SnapshotSettings snapshotSettings;
    private final StateSettings state;
    private final Instance<Vertx> vertx;
    private final Instance<MeterRegistry> registry;
    private final String replicaId;
    private RedisChangelog log;
    private CatalogSnapshots snapshots;
    private CatalogIndex index;
    private ChangelogTailer tailer;
    private CatalogWriter writer;
    private ScheduledExecutorService scheduler;
    private volatile SnapshotStore.Snapshot lastSnapshot;
    private volatile String lastSnapshotError;

    public CatalogReplication(StateSettings state, CatalogSettings catalog, ChangelogSettings settings, SnapshotSettings snapshotSettings,
                              Instance<Vertx> vertx, Instance<MeterRegistry> registry) {
        String store = state.store().trim().toLowerCase(Locale.ROOT);
        if (!store.equals("local") && !store.equals("redis")) {
            throw new IllegalStateException("ranking.state.store must be 'local' or 'redis', not '" + state.store() + "'");
        }
        this.enabled = store.equals("redis");
        this.state = state;
        this.catalog = catalog;
        this.settings = settings;
        this.snapshotSettings = snapshotSettings;
        this.vertx = vertx;
        this.registry = registry;
        this.replicaId = replicaId();
    }

    static String replicaId() {
        Optional<String> configured = ConfigProvider.getConfig().getOptionalValue("ranking.replica-id", String.class);
        if (configured.isPresent() && !configured.get().isBlank()) return configured.get();
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "replica";
        }
    }

    public boolean enabled() { return enabled; }

    private synchronized RedisChangelog changelog() {
        if (log == null) {
            String hosts = ConfigProvider.getConfig().getOptionalValue("quarkus.redis.hosts", String.class).orElseThrow(() -> new IllegalStateException(
                    "ranking.state.store=redis needs quarkus.redis.hosts (QUARKUS_REDIS_HOSTS), e.g. redis://localhost:6379"));
            boolean cluster = ConfigProvider.getConfig().getOptionalValue("quarkus.redis.client-type", String.class)
                    .map(t -> t.equalsIgnoreCase("cluster")).orElse(false);
            log = new RedisChangelog(vertx.get(), parseHosts(hosts), cluster, state.redis().keyPrefix(), state.redis().timeout());
            LOG.infof("catalog: shared through the changelog %s (Redis %s %s)", log.streamKey(), cluster ? "cluster" : "standalone", hosts);
        }
        return log;
    }

    /** {@code quarkus.redis.hosts}: comma-separated URIs or host:port pairs. */
    public static List<String> parseHosts(String csv) {
        List<String> out = new ArrayList<>();
        for (String h : csv.split(",")) if (!h.isBlank()) out.add(h.trim().contains("://") ? h.trim() : "redis://" + h.trim());
        return out;
    }

    /** Before the index opens: a replica without an index restores the newest snapshot, if a store is configured. */
    public void prepare(Path indexDir) throws IOException {
        if (!enabled) return;
        changelog();
        if (snapshotSettings.dir().isEmpty()) return;
        snapshots = new CatalogSnapshots(new DirectorySnapshotStore(Path.of(snapshotSettings.dir().get())));
        String epoch = null;
        RedisChangelog.Info head = null;
        try {
            epoch = log.meta(catalog.vectorDimension(), catalog.vectorSimilarity()).epoch();
            head = log.info();
        } catch (CatalogUnavailableException e) {
            LOG.warnf("catalog: Redis unreachable at start (%s); restoring the newest snapshot of any changelog", e.getMessage());
        }
        if (head != null) snapshots.replaceIfTrimmedPast(indexDir, head, epoch, catalog.vectorDimension());
        snapshots.restoreInto(indexDir, epoch, catalog.vectorDimension());
    }

    /** Once the index is open: starts following the changelog (shared) and returns where catalog writes go. */
    public synchronized CatalogWriter start(CatalogIndex index) {
        this.index = index;
        if (!enabled) return writer = new LocalCatalogWriter(index);
        ChangelogPosition committed = ChangelogPosition.fromCommitData(index.commitData());
        if (committed == null && index.size() > 0) {
            throw new IllegalStateException("ranking.state.store=redis, but the index holds " + index.size() + " items that did not come from"
                    + " the shared catalog changelog (an index of the single-node mode): move its directory aside and load the catalog with"
                    + " `index --changelog --file ...` (or PUT /v1/items); every replica then builds its index from the changelog");
        }
        ChangelogApplier applier = new ChangelogApplier(index, committed != null ? committed : ChangelogPosition.start(null));
        tailer = new ChangelogTailer(changelog(), index, applier, catalog.vectorSimilarity(), new ChangelogTailer.Settings(
                settings.batchSize(), settings.block(), settings.commitInterval(), settings.headInterval(), settings.readyLag(),
                settings.readyLagEntries(), settings.unreadyLag())).start();
        if (registry.isResolvable()) ChangelogMetrics.register(registry.get(), tailer);
        writer = new ChangelogWriter(log, tailer, replicaId);
        LOG.infof("catalog: replica %s follows the changelog from %s (%d items in its index)", replicaId,
                committed == null ? "its start" : committed.lastId(), index.size());
        if (snapshots != null && snapshotSettings.every().isPresent()) scheduleSnapshots(snapshotSettings.every().get());
        return writer;
    }

    private void scheduleSnapshots(Duration every) {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "catalog-snapshots");
            t.setDaemon(true);
            return t;
        });
        long ms = every.toMillis();
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                // one replica per period: whoever sets the lock first; it expires before the next period
                if (tailer.caughtUp() && tailer.state() == ChangelogTailer.State.FOLLOWING
                        && log.setIfAbsent(log.key("snapshot-lock"), replicaId, Duration.ofMillis(Math.max(1000, ms * 9 / 10)))) {
                    snapshotNow();
                }
            } catch (IOException | RuntimeException e) {
                lastSnapshotError = e.toString();
                LOG.warnf("catalog: scheduled snapshot failed: %s", e.toString());
            }
        }, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** Takes a snapshot of this replica's index now, then applies retention and trims the stream. */
    public synchronized SnapshotStore.Snapshot snapshotNow() throws IOException {
        if (tailer == null || snapshots == null) throw new IllegalStateException("snapshots need the shared catalog and ranking.catalog.snapshot.dir");
        SnapshotStore.Snapshot s = snapshots.take(index, tailer.applier(), replicaId);
        lastSnapshot = s;
        lastSnapshotError = null;
        snapshots.retainAndTrim(s.position().epoch(), snapshotSettings.keep(), log, snapshotSettings.trim());
        return s;
    }

    /**
     * The demo catalog, written once per cluster: the replica that sets the marker first appends {@code items} to
     * the changelog (only when the changelog is still empty: a deployment with a real catalog never gets the demo);
     * the others wait for it. Then this replica waits until it has applied everything.
     *
     * @return whether the cluster's catalog is the demo
     */
    public boolean seedDemoOnce(Supplier<List<Item>> items) throws IOException {
        String marker = log.key("demo");
        long deadline = System.nanoTime() + state.redis().seedWait().toNanos();
        String value = log.get(marker);
        while (value == null || value.startsWith("writing")) {
            if (value == null && log.setIfAbsent(marker, "writing " + replicaId, Duration.ofMinutes(10))) {
                if (log.info().entriesAdded() > 0) {
                    log.set(marker, "none: the changelog held entries before the first demo start");
                } else {
                    List<Item> all = items.get();
                    for (int from = 0; from < all.size(); from += 1000) writer.upsert(all.subList(from, Math.min(all.size(), from + 1000)));
                    log.set(marker, "done " + all.size() + " items by " + replicaId);
                    LOG.infof("catalog: wrote the demo catalog (%d items) to the changelog for every replica", all.size());
                }
            } else if (System.nanoTime() > deadline) {
                LOG.warnf("catalog: the demo catalog is still being written by another replica (%s); going on without waiting", value);
                return false;
            } else {
                sleep(200);
            }
            value = log.get(marker);
        }
        awaitCaughtUp(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        return value.startsWith("done");
    }

    /** Waits until this replica has applied every entry appended before the call; false on timeout. */
    public boolean awaitCaughtUp(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            StreamId head = log.info().lastGenerated();
            while (tailer.state() != ChangelogTailer.State.FAILED) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                if (tailer.awaitApplied(head, Duration.ofNanos(Math.min(left, 1_000_000_000L)))) return true;
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ready as far as the catalog changelog is concerned (always, without it). */
    public boolean ready() {
        return tailer == null || tailer.ready();
    }

    /** What the changelog status endpoint shows. */
    public record Status(String mode, String replica, String state, boolean ready, String appliedId, long consumed, String committedId,
                         String visibleId, String headId, long entriesAdded, long lagEntries, double lagSeconds, long applied,
                         long skipped, List<ChangelogApplier.Skip> recentSkips, String failure, String lastError,
                         String snapshotStore, String lastSnapshot, String lastSnapshotError) {
    }

    public Status status() {
        if (tailer == null) {
            return new Status("local", replicaId, null, true, null, 0, null, null, null, 0, 0, 0, 0, 0, List.of(), null, null, null, null, null);
        }
        ChangelogApplier a = tailer.applier();
        RedisChangelog.Info head = tailer.head();
        SnapshotStore.Snapshot snap = lastSnapshot;
        return new Status("changelog", replicaId, tailer.state().name().toLowerCase(Locale.ROOT), tailer.ready(),
                a.position().lastId().toString(), a.position().consumed(), a.committed().lastId().toString(), tailer.visible().toString(),
                head == null ? null : head.lastGenerated().toString(), head == null ? 0 : head.entriesAdded(), tailer.lagEntries(),
                tailer.lagMillis() / 1000.0, a.appliedCount(), a.skippedCount(), a.recentSkips(), tailer.failure(), tailer.lastError(),
                snapshots == null ? null : snapshots.store().location(), snap == null ? null : snap.name(), lastSnapshotError);
    }

    public CatalogWriter writer() { return writer; }

    /** Stops following (committing what was applied) and closes the Redis client; the index stays open. */
    public synchronized void stop() {
        if (scheduler != null) scheduler.shutdownNow();
        try {
            if (tailer != null) tailer.close();
        } catch (IOException e) {
            LOG.warnf("catalog: final changelog commit failed (%s); the next start re-applies from the last commit", e.toString());
        }
        if (log != null) log.close();
    }
}
