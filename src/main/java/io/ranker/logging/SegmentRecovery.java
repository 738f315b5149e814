package io.ranker.logging;

import org.jboss.logging.Logger;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * What a log finds in its directory at start: the sequence number to continue from, the closed segments still to
 * compress, and the join and dedupe windows refilled from the newest segment (so feedback retried across a restart
 * is still recognised as a duplicate and still joins its impression). The newest uncompressed segment is scanned
 * and its torn or corrupt records are reported, not truncated: readers skip them and {@code logs verify} shows
 * them. A damaged directory never stops the service. Runs once, before the first segment opens.
 */
final class SegmentRecovery {
    private static final Logger LOG = Logger.getLogger(SegmentRecovery.class);
    /** Bound on the feedback event ids kept for the dedupe window. */
    static final int MAX_RECOVERED_EVENT_IDS = 200_000;

    /**
     * @param nextSeq     the sequence number of the next segment
     * @param uncompressed closed segments left uncompressed (every existing segment is closed now)
     * @param eventIds    feedback event ids of the newest segment, oldest first
     */
    record Recovered(long nextSeq, List<Path> uncompressed, ArrayDeque<String> eventIds) {
    }

    private SegmentRecovery() {
    }

    /** @param recent filled with the newest segment's impressions */
    static Recovered recover(LogConfig config, LogMetrics metrics, RecentImpressions recent,
                             SegmentHousekeeper housekeeper, SegmentHousekeeper.Failures failures) {
        ArrayDeque<String> eventIds = new ArrayDeque<>();
        List<SegmentFile> segments;
        try {
            if (!Files.exists(config.dir())) {
                // First start: nothing to recover (a missing directory is not a failure).
                Files.createDirectories(config.dir());
            }
            segments = SegmentFile.list(config.dir());
            housekeeper.cleanLeftovers();
        } catch (IOException | RuntimeException e) {
            failures.fail("open", "cannot list " + config.dir() + ": " + e, true);
            return new Recovered(1, List.of(), eventIds);
        }
        if (segments.isEmpty()) return new Recovered(1, List.of(), eventIds);
        // the directory may also hold other replicas' (copied) or unnamed old segments: warm from this replica's own,
        // and continue after the highest sequence number of any, so no name is ever reused
        SegmentFile last = newestWithData(segments.stream()
                .filter(f -> java.util.Objects.equals(f.replica(), config.replicaId())).toList());
        if (last != null && !last.compressed()) scan(last, metrics, recent, eventIds);
        List<Path> uncompressed = new ArrayList<>();
        for (SegmentFile f : segments) if (!f.compressed()) uncompressed.add(f.path());
        long nextSeq = segments.stream().mapToLong(SegmentFile::seq).max().getAsLong() + 1;
        return new Recovered(nextSeq, uncompressed, eventIds);
    }

    private static void scan(SegmentFile last, LogMetrics metrics, RecentImpressions recent, ArrayDeque<String> eventIds) {
        List<LogProblem> problems = new ArrayList<>();
        long records = 0;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(last.path()), 1 << 16)) {
            FrameScanner s = new FrameScanner(in, last.name(), problems::add);
            FrameScanner.Frame f;
            while ((f = s.next()) != null) {
                records++;
                warm(new LogEntry(last.name(), f.offset(), f.payload()), recent, eventIds);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("impression log: cannot scan " + last.path() + ": " + e);
        }
        for (LogProblem p : problems) {
            metrics.recoveryProblem(p.type());
            LOG.warn("impression log recovery: " + p + " (skipped by readers; see `logs verify`)");
        }
        LOG.infof("impression log: recovered %s with %d records, %d damaged stretches; starting a new segment",
                last.name(), records, problems.size());
    }

    private static SegmentFile newestWithData(List<SegmentFile> segments) {
        for (int i = segments.size() - 1; i >= 0; i--) {
            try {
                if (Files.size(segments.get(i).path()) > 0) return segments.get(i);
            } catch (IOException e) {
                // unreadable: try the one before
            }
        }
        return null;
    }

    private static void warm(LogEntry e, RecentImpressions recent, ArrayDeque<String> eventIds) {
        try {
            if (e.isImpression()) {
                recent.remember(e.impression());
            } else if (e.isFeedback()) {
                String id = e.feedback().eventId();
                if (id != null) {
                    eventIds.addLast(id);
                    if (eventIds.size() > MAX_RECOVERED_EVENT_IDS) eventIds.removeFirst();
                }
            }
        } catch (RuntimeException ignored) {
            // a valid frame with an unexpected payload: readers skip it too
        }
    }
}
