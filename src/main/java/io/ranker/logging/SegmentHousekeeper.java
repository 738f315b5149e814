package io.ranker.logging;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * What happens to a segment once appends have left it, on one background thread so appenders never wait: the
 * final fsync and close of a rotated segment, gzip compression (written to {@code .gz.tmp}, forced, renamed into
 * place, then the original deleted, so a crash leaves either a complete copy or none), and retention (segments
 * older than the retention age, then the oldest while over the size budget; never the active one).
 * Lives as long as its log.
 */
final class SegmentHousekeeper {
    private static final Logger LOG = Logger.getLogger(SegmentHousekeeper.class);

    /** How the log learns of a failure that changes its health. */
    @FunctionalInterface
    interface Failures {
        void fail(String reason, String message, boolean unhealthy);
    }

    private final LogConfig config;
    private final Clock clock;
    private final LogMetrics metrics;
    private final Supplier<Path> activeSegment;
    private final Failures failures;
    private final ExecutorService thread;

    /** @param activeSegment the segment appends go to now (read under the log's lock): retention keeps it */
    SegmentHousekeeper(LogConfig config, Clock clock, LogMetrics metrics, Supplier<Path> activeSegment, Failures failures) {
        this.config = config;
        this.clock = clock;
        this.metrics = metrics;
        this.activeSegment = activeSegment;
        this.failures = failures;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ranker-log-housekeeping");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * A segment appends have just left: forced and closed here (its bytes are already in the OS), then
     * compressed, then retention runs.
     *
     * @return false when shutting down (the caller closes the channel itself)
     */
    boolean rotated(FileChannel ch, Path p) {
        try {
            thread.execute(() -> {
                try {
                    long t0 = System.nanoTime();
                    ch.force(false);
                    metrics.fsynced(System.nanoTime() - t0);
                    ch.close();
                } catch (IOException e) {
                    failures.fail("fsync", "closing " + p + " failed: " + e, true);
                }
                compress(p);
                enforceRetention();
            });
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** A segment that is closed already (abandoned after a failed write, or found at start): compress, retain. */
    void closed(Path closedSegment) {
        try {
            thread.execute(() -> {
                compress(closedSegment);
                enforceRetention();
            });
        } catch (RuntimeException e) {
            // shutting down: the segment stays uncompressed, which readers handle
        }
    }

    /** Removes half-written compressions and uncompressed segments whose compressed copy is complete. */
    void cleanLeftovers() throws IOException {
        try (Stream<Path> s = Files.list(config.dir())) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String n = p.getFileName().toString();
                if (n.endsWith(".gz.tmp")) Files.deleteIfExists(p);
                else if (n.endsWith(".log") && Files.exists(p.resolveSibling(n + ".gz"))) Files.deleteIfExists(p);
            }
        }
    }

    private void compress(Path p) {
        if (p == null) return;
        try {
            if (!Files.exists(p)) return;
            if (Files.size(p) == 0) {
                Files.deleteIfExists(p);
                return;
            }
            if (!config.compress()) return;
            Path tmp = p.resolveSibling(p.getFileName() + ".gz.tmp");
            Path gz = p.resolveSibling(p.getFileName() + ".gz");
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                try (OutputStream gzo = new java.util.zip.GZIPOutputStream(Channels.newOutputStream(out), 1 << 16) {
                    @Override
                    public void close() throws IOException {
                        finish(); // keep the channel open to force it
                        def.end();
                    }
                }) {
                    Files.copy(p, gzo);
                }
                out.force(true);
            }
            Files.move(tmp, gz, StandardCopyOption.ATOMIC_MOVE);
            Files.delete(p);
        } catch (NoSuchFileException e) {
            // retention removed it meanwhile
        } catch (IOException | RuntimeException e) {
            metrics.failure("compress");
            LOG.warn("impression log: cannot compress " + p + " (left uncompressed): " + e);
            try {
                Files.deleteIfExists(p.resolveSibling(p.getFileName() + ".gz.tmp"));
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    /** Deletes closed segments older than the retention age, then the oldest while over the size budget. */
    void enforceRetention() {
        try {
            Path keep = activeSegment.get();
            long now = clock.millis();
            Map<SegmentFile, Long> sizes = new LinkedHashMap<>();
            long total = 0;
            for (SegmentFile f : SegmentFile.list(config.dir())) {
                long size = Files.size(f.path());
                sizes.put(f, size);
                total += size;
            }
            for (Map.Entry<SegmentFile, Long> e : sizes.entrySet()) {
                SegmentFile f = e.getKey();
                if (f.logPath().equals(keep)) continue;
                boolean tooOld = !config.retentionMaxAge().isZero()
                        && Files.getLastModifiedTime(f.path()).toMillis() < now - config.retentionMaxAge().toMillis();
                boolean overBudget = config.retentionMaxBytes() > 0 && total > config.retentionMaxBytes();
                if (tooOld || overBudget) {
                    Files.deleteIfExists(f.path());
                    total -= e.getValue();
                    LOG.debugf("impression log retention: deleted %s", f.name());
                }
            }
        } catch (IOException | RuntimeException e) {
            metrics.failure("retention");
            LOG.warn("impression log: retention failed: " + e);
        }
    }

    /** Waits for pending work (tests, commands). */
    void await() throws InterruptedException {
        try {
            thread.submit(() -> { }).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Lets queued work finish (at most 30 s) and stops the thread. */
    void shutdown() {
        thread.shutdown();
        try {
            thread.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
