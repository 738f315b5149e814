package io.ranker.logging;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The impression and feedback log of one replica: append-only segment files in its own directory
 * ({@code <log root>/<replica id>/}, so replicas can share a root), each record stamped with the replica id (format
 * in docs/impression-log.md).
 *
 * <p>Durability: {@link #append} encodes outside any lock, then writes the whole frame with
 * {@link FileChannel#write} under a short lock, so when it returns the bytes are in the OS and survive
 * kill -9 of this process; a background thread forces them to disk every {@code fsyncInterval} (or every
 * append when the interval is zero). Closed segments are gzip-compressed and retention deletes old ones on
 * a second background thread ({@link SegmentHousekeeper}).
 *
 * <p>Faults: nothing ever throws into the request path. A failed write is counted, {@link #healthy()} turns
 * false and the segment is closed; later appends open a fresh segment (at most once a second), so a
 * disk that recovers is used again. Records written before the failure stay where they are.
 *
 * <p>Recovery ({@link SegmentRecovery}): on start every existing segment is closed; the newest uncompressed one
 * is scanned and its torn or corrupt records are reported (not truncated: readers skip them, {@code logs verify}
 * shows them), and a new segment is started. A damaged directory never stops the service.
 */
public final class SegmentImpressionLog implements ImpressionLog, FeedbackLog, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SegmentImpressionLog.class);
    private static final long REOPEN_BACKOFF_MILLIS = 1000;

    private final LogConfig config;
    private final SegmentOpener opener;
    private final Clock clock;
    private final LogMetrics metrics;
    private final RecentImpressions recent;
    private final ReentrantLock lock = new ReentrantLock();
    private final ScheduledExecutorService ticker;
    private final SegmentHousekeeper housekeeper;
    /** Feedback event ids found at start, handed out once ({@link #recentEventIds}). */
    private final ArrayDeque<String> recoveredEventIds;

    // guarded by lock
    private FileChannel active;
    private Path activePath;
    private long activeSize;
    private long activeOpenedAt;
    private long nextSeq;
    private long reopenAfter;
    private boolean closed;
    private boolean dirty;

    private volatile boolean healthy;
    private volatile String lastError;

    public SegmentImpressionLog(LogConfig config) {
        this(config, Clock.systemUTC(), new SimpleMeterRegistry());
    }

    public SegmentImpressionLog(LogConfig config, Clock clock, MeterRegistry registry) {
        this(config, clock, registry, p -> FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
    }

    /** Opens a new segment file; a seam so tests can hand out a channel on a full disk ({@code /dev/full}). */
    interface SegmentOpener {
        FileChannel open(Path segment) throws IOException;
    }

    SegmentImpressionLog(LogConfig config, Clock clock, MeterRegistry registry, SegmentOpener opener) {
        this.opener = opener;
        this.config = config;
        this.clock = clock;
        this.metrics = new LogMetrics(registry, this::healthy);
        this.recent = new RecentImpressions(config.joinWindow());
        this.ticker = Executors.newSingleThreadScheduledExecutor(daemon("ranker-log-fsync"));
        this.housekeeper = new SegmentHousekeeper(config, clock, metrics, this::activePath, this::fail);
        SegmentRecovery.Recovered found = SegmentRecovery.recover(config, metrics, recent, housekeeper, this::fail);
        this.nextSeq = found.nextSeq();
        this.recoveredEventIds = found.eventIds();
        found.uncompressed().forEach(housekeeper::closed);
        lock.lock();
        try {
            healthy = openSegmentLocked();
        } finally {
            lock.unlock();
        }
        long tick = config.fsyncInterval().isZero() ? 1000 : Math.max(1, config.fsyncInterval().toMillis());
        ticker.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean append(ImpressionRecord record) {
        if (record == null) {
            fail("encode", "null impression record", false);
            return false;
        }
        boolean ok = write(LogJson.IMPRESSION, record);
        if (ok) recent.remember(record);
        return ok;
    }

    @Override
    public boolean append(FeedbackEvent event) {
        if (event == null) {
            fail("encode", "null feedback event", false);
            return false;
        }
        return write(LogJson.FEEDBACK, event);
    }

    @Override
    public RecentImpression recentImpression(String impressionId) {
        return recent.get(impressionId);
    }

    /** True while the last write and the last fsync succeeded. */
    @Override
    public boolean healthy() {
        return healthy;
    }

    /** What the readiness check and {@code degraded} report. */
    public Status status() {
        lock.lock();
        try {
            return new Status(healthy, lastError, config.dir().toString(), config.replicaId(),
                    activePath == null ? null : activePath.getFileName().toString(),
                    metrics.records.get(), metrics.bytes.get(), metrics.failures.get(), metrics.fsyncs.get());
        } finally {
            lock.unlock();
        }
    }

    public record Status(boolean healthy, String lastError, String dir, String replica, String activeSegment, long records,
                         long bytes, long failures, long fsyncs) {
    }

    public LogConfig config() {
        return config;
    }

    private boolean write(String kind, Object body) {
        long t0 = System.nanoTime();
        LogFrames.Encoded frame;
        try {
            frame = LogFrames.encode(kind, config.replicaId(), body);
        } catch (Exception | StackOverflowError e) {
            fail("encode", "cannot encode a " + kind + " record: " + e, false);
            return false;
        }
        lock.lock();
        try {
            if (closed) {
                metrics.failure("closed");
                return false;
            }
            if (active != null && activeSize > 0 && (activeSize + frame.length() > config.segmentMaxBytes()
                    || clock.millis() - activeOpenedAt >= config.segmentMaxAge().toMillis())) {
                rotateLocked();
            }
            if (active == null) {
                if (clock.millis() < reopenAfter || !openSegmentLocked()) {
                    metrics.failure("unavailable");
                    return false;
                }
            }
            ByteBuffer bb = ByteBuffer.wrap(frame.buf(), 0, frame.length());
            try {
                while (bb.hasRemaining()) active.write(bb);
                activeSize += frame.length();
                dirty = true;
                if (config.fsyncInterval().isZero()) forceLocked();
            } catch (IOException | RuntimeException e) {
                fail("write", "write to " + activePath + " failed: " + e, true);
                abandonActiveLocked();
                return false;
            }
        } finally {
            lock.unlock();
        }
        if (!healthy && lastFsyncOk) healthy = true;
        metrics.appended(kind, frame.length(), System.nanoTime() - t0);
        for (LogSink s : sinks) {
            try {
                if (body instanceof ImpressionRecord r) s.impression(r, frame.buf(), LogFrames.HEADER, frame.length() - LogFrames.HEADER);
                else s.feedback((FeedbackEvent) body, frame.buf(), LogFrames.HEADER, frame.length() - LogFrames.HEADER);
            } catch (RuntimeException e) {
                metrics.failure("sink");
            }
        }
        return true;
    }

    private volatile boolean lastFsyncOk = true;
    private final List<LogSink> sinks = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Also hands every record, once durable here, to {@code sink} (the Kafka producer, served-impression markers). */
    public void addSink(LogSink sink) {
        sinks.add(sink);
    }

    // ---- segments ----

    private boolean openSegmentLocked() {
        try {
            Files.createDirectories(config.dir());
            long now = clock.millis();
            Path p = SegmentFile.pathFor(config.dir(), config.replicaId(), nextSeq, now);
            FileChannel ch = opener.open(p);
            nextSeq++;
            active = ch;
            activePath = p;
            activeSize = 0;
            activeOpenedAt = now;
            dirty = false;
            return true;
        } catch (IOException | RuntimeException e) {
            fail("open", "cannot open a segment in " + config.dir() + ": " + e, true);
            reopenAfter = clock.millis() + REOPEN_BACKOFF_MILLIS;
            return false;
        }
    }

    /**
     * Switches to a new segment. The old one is forced, closed and compressed on the housekeeping thread, so
     * appenders never wait for a whole segment's fsync (its bytes are already in the OS).
     */
    private void rotateLocked() {
        FileChannel ch = active;
        Path p = activePath;
        active = null;
        activePath = null;
        dirty = false;
        if (!housekeeper.rotated(ch, p)) closeQuietly(ch); // shutting down
        openSegmentLocked();
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.force(false);
            ch.close();
        } catch (IOException ignored) {
            // best effort while shutting down
        }
    }

    /** After a failed write: stop using the segment (what it holds stays), retry a new one later. */
    private void abandonActiveLocked() {
        try {
            active.close();
        } catch (IOException ignored) {
            // the segment already failed; its written records remain readable
        }
        Path p = activePath;
        active = null;
        activePath = null;
        reopenAfter = clock.millis() + REOPEN_BACKOFF_MILLIS;
        housekeeper.closed(p);
    }

    private void forceLocked() throws IOException {
        long t0 = System.nanoTime();
        active.force(false);
        dirty = false;
        metrics.fsynced(System.nanoTime() - t0);
    }

    /** Batched fsync, and closing a segment that has grown old while traffic was idle. */
    private void tick() {
        FileChannel ch = null;
        Path p = null;
        lock.lock();
        try {
            if (closed) return;
            if (active != null && activeSize > 0 && clock.millis() - activeOpenedAt >= config.segmentMaxAge().toMillis()) {
                rotateLocked();
                return;
            }
            if (active != null && dirty) {
                ch = active;
                p = activePath;
                dirty = false;
            }
        } finally {
            lock.unlock();
        }
        if (ch == null) return;
        long t0 = System.nanoTime();
        try {
            ch.force(false); // outside the lock: appends go on while the disk syncs
            metrics.fsynced(System.nanoTime() - t0);
            lastFsyncOk = true;
        } catch (ClosedChannelException e) {
            // rotated meanwhile; rotation forced it
        } catch (IOException | RuntimeException e) {
            lastFsyncOk = false;
            fail("fsync", "fsync of " + p + " failed: " + e, true);
        }
    }

    private void fail(String reason, String message, boolean unhealthy) {
        metrics.failure(reason);
        lastError = message;
        if (unhealthy) healthy = false;
        LOG.warn("impression log: " + message);
    }

    /** Event ids of feedback in the newest segment at start (oldest first), to seed the dedupe window; handed out once. */
    @Override
    public synchronized List<String> recentEventIds() {
        List<String> ids = List.copyOf(recoveredEventIds);
        recoveredEventIds.clear();
        return ids;
    }

    /** Forces and closes the active segment; appends afterwards return false. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) return;
            closed = true;
            if (active != null) {
                try {
                    active.force(false);
                    active.close();
                } catch (IOException e) {
                    fail("fsync", "closing " + activePath + " failed: " + e, true);
                }
                active = null;
            }
        } finally {
            lock.unlock();
        }
        ticker.shutdownNow();
        housekeeper.shutdown();
    }

    /** Waits for pending compression and retention (tests, commands). */
    void awaitHousekeeping() throws InterruptedException {
        housekeeper.await();
    }

    /** The segment appends go to now (retention keeps it). */
    private Path activePath() {
        lock.lock();
        try {
            return activePath;
        } finally {
            lock.unlock();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
