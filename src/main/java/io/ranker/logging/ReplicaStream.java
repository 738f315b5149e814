package io.ranker.logging;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * The valid records of one replica's segments, in the order they were appended, optionally only those whose timestamp
 * is in {@code [from, to)} (segments that cannot hold such records are not opened). Torn and corrupt stretches are
 * skipped and reported. Not thread-safe; {@link LogReader} merges several of them.
 */
final class ReplicaStream implements AutoCloseable {
    /** Records may be stamped a little before the segment holding them was opened (request start time). */
    private static final long SEGMENT_SLACK_MILLIS = 10 * 60_000L;

    private final String replica;
    private final List<SegmentFile> files;
    private final long from;
    private final long to;
    private final Consumer<LogProblem> problems;
    private int nextFile;
    private InputStream in;
    private FrameScanner scanner;
    private String current;
    long records;
    int segments;

    ReplicaStream(LogLayout.Replica r, long from, long to, Consumer<LogProblem> problems) {
        this.replica = r.replica();
        this.from = from;
        this.to = to;
        this.problems = problems;
        List<SegmentFile> all = r.segments();
        List<SegmentFile> keep = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            SegmentFile f = all.get(i);
            boolean startsAfter = to != Long.MAX_VALUE && f.startMillis() - SEGMENT_SLACK_MILLIS >= to;
            boolean endsBefore = from != Long.MIN_VALUE && i + 1 < all.size()
                    && all.get(i + 1).startMillis() + SEGMENT_SLACK_MILLIS < from;
            if (!startsAfter && !endsBefore) keep.add(f);
        }
        this.files = keep;
    }

    String replica() {
        return replica;
    }

    /** The next valid record in range, or null at the end. */
    LogEntry next() {
        while (true) {
            if (scanner == null && !openNext()) return null;
            FrameScanner.Frame f;
            try {
                f = scanner.next();
            } catch (IOException e) {
                // e.g. a gzip segment cut short: what was read is kept, the rest is reported
                problems.accept(new LogProblem(current, -1, LogProblem.Type.CORRUPT, -1, "unreadable: " + e));
                f = null;
            }
            if (f == null) {
                closeCurrent();
                continue;
            }
            records++;
            LogEntry e = new LogEntry(replica, current, f.offset(), f.payload());
            if (from == Long.MIN_VALUE && to == Long.MAX_VALUE) return e;
            long ts = e.timestamp();
            if (ts >= from && ts < to) return e;
        }
    }

    private boolean openNext() {
        while (nextFile < files.size()) {
            SegmentFile f = files.get(nextFile++);
            try {
                in = open(f);
            } catch (IOException e) {
                problems.accept(new LogProblem(f.name(), -1, LogProblem.Type.CORRUPT, -1, "cannot open: " + e));
                continue;
            }
            if (in == null) continue; // deleted by retention meanwhile
            current = f.name();
            scanner = new FrameScanner(in, current, problems);
            segments++;
            return true;
        }
        return false;
    }

    /** Opens a segment; one being compressed while we list may have moved to its .gz name. */
    private static InputStream open(SegmentFile f) throws IOException {
        Path p = f.path();
        if (!f.compressed()) {
            try {
                return new BufferedInputStream(Files.newInputStream(p), 1 << 16);
            } catch (NoSuchFileException e) {
                p = p.resolveSibling(f.name() + ".gz");
            }
        }
        try {
            return new GZIPInputStream(Files.newInputStream(p), 1 << 16);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private void closeCurrent() {
        try {
            if (in != null) in.close();
        } catch (IOException ignored) {
            // read-only
        }
        in = null;
        scanner = null;
    }

    @Override
    public void close() {
        closeCurrent();
        nextFile = files.size();
    }
}
