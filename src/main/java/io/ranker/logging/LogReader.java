package io.ranker.logging;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import java.util.zip.GZIPInputStream;

/**
 * Streams every valid record of a log directory in order: all segments, compressed or not, optionally only
 * records whose timestamp is in {@code [from, to)}. Torn and corrupt stretches are skipped and collected in
 * {@link #problems()}, so replay and training read through damage. Safe to use on a directory a live log
 * is writing (the active segment's last record may then show as torn).
 */
public final class LogReader {
    /** Records may be stamped a little before the segment holding them was opened (request start time). */
    private static final long SEGMENT_SLACK_MILLIS = 10 * 60_000L;

    private final Path dir;
    private final long from;
    private final long to;
    private final List<LogProblem> problems = new ArrayList<>();
    private long records;
    private int segments;

    private LogReader(Path dir, long from, long to) {
        this.dir = dir;
        this.from = from;
        this.to = to;
    }

    public static LogReader of(Path dir) {
        return new LogReader(dir, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** Only records with {@code from <= timestamp < to} (epoch millis). */
    public LogReader between(long fromMillis, long toMillis) {
        return new LogReader(dir, fromMillis, toMillis);
    }

    /** Every valid record; close the stream when abandoning it early (try-with-resources). */
    public Stream<LogEntry> stream() {
        Entries it = new Entries();
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, 0), false).onClose(it::close);
    }

    /** Damaged stretches met so far. */
    public List<LogProblem> problems() {
        return problems;
    }

    /** Valid records read so far (before the time filter). */
    public long recordsRead() {
        return records;
    }

    public int segmentsRead() {
        return segments;
    }

    private final class Entries implements Iterator<LogEntry> {
        private final List<SegmentFile> files;
        private int nextFile;
        private InputStream in;
        private FrameScanner scanner;
        private String current;
        private LogEntry next;

        Entries() {
            try {
                List<SegmentFile> all = SegmentFile.list(dir);
                List<SegmentFile> keep = new ArrayList<>();
                for (int i = 0; i < all.size(); i++) {
                    SegmentFile f = all.get(i);
                    boolean startsAfter = to != Long.MAX_VALUE && f.startMillis() - SEGMENT_SLACK_MILLIS >= to;
                    boolean endsBefore = from != Long.MIN_VALUE && i + 1 < all.size()
                            && all.get(i + 1).startMillis() + SEGMENT_SLACK_MILLIS < from;
                    if (!startsAfter && !endsBefore) keep.add(f);
                }
                files = keep;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + dir, e);
            }
        }

        @Override
        public boolean hasNext() {
            while (next == null) {
                if (scanner == null && !openNext()) return false;
                FrameScanner.Frame f;
                try {
                    f = scanner.next();
                } catch (IOException e) {
                    // e.g. a gzip segment cut short: what was read is kept, the rest is reported
                    problems.add(new LogProblem(current, -1, LogProblem.Type.CORRUPT, -1, "unreadable: " + e));
                    f = null;
                }
                if (f == null) {
                    closeCurrent();
                    continue;
                }
                records++;
                LogEntry e = new LogEntry(current, f.offset(), f.payload());
                if (from == Long.MIN_VALUE && to == Long.MAX_VALUE) {
                    next = e;
                } else {
                    long ts = e.timestamp();
                    if (ts >= from && ts < to) next = e;
                }
            }
            return true;
        }

        @Override
        public LogEntry next() {
            if (!hasNext()) throw new NoSuchElementException();
            LogEntry e = next;
            next = null;
            return e;
        }

        private boolean openNext() {
            while (nextFile < files.size()) {
                SegmentFile f = files.get(nextFile++);
                try {
                    in = open(f);
                } catch (IOException e) {
                    problems.add(new LogProblem(f.name(), -1, LogProblem.Type.CORRUPT, -1, "cannot open: " + e));
                    continue;
                }
                if (in == null) continue; // deleted by retention meanwhile
                current = f.name();
                scanner = new FrameScanner(in, current, problems::add);
                segments++;
                return true;
            }
            return false;
        }

        /** Opens a segment; one being compressed while we list may have moved to its .gz name. */
        private InputStream open(SegmentFile f) throws IOException {
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

        void close() {
            closeCurrent();
            nextFile = files.size();
        }
    }
}
