package io.ranker.logging;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Streams every valid record of one or more log locations as one log: each location is a log root whose replicas
 * ({@link LogLayout}: {@code <root>/<replica-id>/} subdirectories, and segments directly in it from the single-replica
 * layout) are read side by side and merged by record time, each replica's records in the order it appended them.
 * Optionally only records whose timestamp is in {@code [from, to)}.
 *
 * <p>A feedback event logged more than once (the same {@code eventId} sent to two replicas, or retried where no dedupe
 * saw the first) is read once ({@link EventIdWindow} bounds how far apart the copies may be); {@link #keepDuplicates}
 * reads every copy. Torn and corrupt stretches are skipped and collected in {@link #problems()}, so replay and training
 * read through damage. Safe to use on a root that live replicas are writing (an active segment's last record may then
 * show as torn). An empty or missing location reads as nothing here; {@link LogLayout#require} is the check that
 * refuses it.
 */
public final class LogReader {
    private final List<Path> locations;
    private final long from;
    private final long to;
    private final boolean dedupe;
    private final List<LogProblem> problems = new ArrayList<>();
    private final Map<String, long[]> byReplica = new LinkedHashMap<>();
    private long duplicates;
    private List<ReplicaStream> streams = List.of();

    private LogReader(List<Path> locations, long from, long to, boolean dedupe) {
        this.locations = List.copyOf(locations);
        this.from = from;
        this.to = to;
        this.dedupe = dedupe;
    }

    public static LogReader of(Path location) {
        return of(List.of(location));
    }

    public static LogReader of(List<Path> locations) {
        return new LogReader(locations, Long.MIN_VALUE, Long.MAX_VALUE, true);
    }

    /** Only records with {@code from <= timestamp < to} (epoch millis). */
    public LogReader between(long fromMillis, long toMillis) {
        return new LogReader(locations, fromMillis, toMillis, dedupe);
    }

    /** Every copy of a feedback event logged more than once (what is on disk, e.g. for {@code logs dump --all}). */
    public LogReader keepDuplicates() {
        return new LogReader(locations, from, to, false);
    }

    public List<Path> locations() {
        return locations;
    }

    /** Every valid record, merged by time; close the stream when abandoning it early (try-with-resources). */
    public Stream<LogEntry> stream() {
        List<ReplicaStream> opened = new ArrayList<>();
        for (LogLayout.Replica r : LogLayout.discover(locations)) opened.add(new ReplicaStream(r, from, to, problems::add));
        streams = opened;
        Merged it = new Merged(opened);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, 0), false).onClose(it::close);
    }

    /** Damaged stretches met so far. */
    public List<LogProblem> problems() {
        return problems;
    }

    /** Valid records read so far (before the time filter and the duplicate check). */
    public long recordsRead() {
        long n = 0;
        for (ReplicaStream s : streams) n += s.records;
        return n;
    }

    public int segmentsRead() {
        int n = 0;
        for (ReplicaStream s : streams) n += s.segments;
        return n;
    }

    /** Feedback records skipped as copies of an event already read. */
    public long duplicatesSkipped() {
        return duplicates;
    }

    /** Per replica, in discovery order: {records handed out, segments read}. */
    public Map<String, long[]> replicas() {
        Map<String, long[]> out = new LinkedHashMap<>();
        for (ReplicaStream s : streams) {
            long[] c = out.computeIfAbsent(s.replica(), k -> new long[2]);
            c[1] += s.segments;
        }
        byReplica.forEach((k, v) -> out.computeIfAbsent(k, x -> new long[2])[0] += v[0]);
        return out;
    }

    /** A k-way merge on the heads' timestamps (ties: discovery order), so equal inputs give an equal output. */
    private final class Merged implements Iterator<LogEntry> {
        private record Head(LogEntry entry, int stream) {
        }

        private final List<ReplicaStream> inputs;
        private final PriorityQueue<Head> heads;
        private final EventIdWindow seen = dedupe ? new EventIdWindow(EventIdWindow.DEFAULT_HORIZON_MILLIS,
                EventIdWindow.DEFAULT_MAX_IDS) : null;
        private LogEntry next;
        private boolean started;

        Merged(List<ReplicaStream> inputs) {
            this.inputs = inputs;
            this.heads = new PriorityQueue<>(Math.max(1, inputs.size()), (a, b) -> {
                int c = Long.compare(a.entry.timestamp(), b.entry.timestamp());
                return c != 0 ? c : Integer.compare(a.stream, b.stream);
            });
        }

        @Override
        public boolean hasNext() {
            if (!started) {
                started = true;
                for (int i = 0; i < inputs.size(); i++) advance(i);
            }
            while (next == null) {
                Head h = heads.poll();
                if (h == null) return false;
                advance(h.stream);
                if (seen != null && h.entry.isFeedback() && !firstCopy(h.entry)) {
                    duplicates++;
                    continue;
                }
                byReplica.computeIfAbsent(h.entry.replica(), k -> new long[1])[0]++;
                next = h.entry;
            }
            return true;
        }

        private void advance(int stream) {
            LogEntry e = inputs.get(stream).next();
            if (e != null) heads.add(new Head(e, stream));
        }

        private boolean firstCopy(LogEntry e) {
            String id = e.eventId();
            return id == null || seen.firstTime(id, e.timestamp());
        }

        @Override
        public LogEntry next() {
            if (!hasNext()) throw new NoSuchElementException();
            LogEntry e = next;
            next = null;
            return e;
        }

        void close() {
            for (ReplicaStream s : inputs) s.close();
            heads.clear();
        }
    }
}
