package io.ranker.cli;

import io.ranker.core.DomainException;
import io.ranker.logging.LogEntry;
import io.ranker.logging.LogLayout;
import io.ranker.logging.LogProblem;
import io.ranker.logging.LogReader;
import io.ranker.logging.SegmentFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code logs dump|verify|stats}: read the impression and feedback log without starting the service. A log root is
 * read as one log: every replica's segments under it, merged by time.
 */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = "Read the impression and feedback log: every replica under a log root (<data-dir>/logs or --log-dir).",
        subcommands = {LogsCommand.Dump.class, LogsCommand.Verify.class, LogsCommand.Stats.class})
public class LogsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Where the segments are: every --log-dir, else <data-dir>/logs. */
    static class Location {
        @Option(names = "--data-dir", defaultValue = "${RANKING_DATA_DIR:-data}",
                description = "Data directory (default: $RANKING_DATA_DIR or 'data'); the log root is <data-dir>/logs")
        Path dataDir;

        @Option(names = "--log-dir", description = "A log root (replica subdirectories, or segments directly in it) when not"
                + " <data-dir>/logs; repeat it to read several roots as one log")
        List<Path> logDirs;

        List<Path> dirs() {
            return logDirs != null && !logDirs.isEmpty() ? logDirs : List.of(dataDir.resolve("logs"));
        }
    }

    /** Optional time window on the records' own timestamps. */
    static class Window {
        @Option(names = "--from", description = "Only records at or after this time (epoch millis or ISO-8601)")
        String from;

        @Option(names = "--to", description = "Only records before this time (epoch millis or ISO-8601)")
        String to;

        LogReader reader(List<Path> dirs, CommandLine cmd) {
            LogReader r = LogReader.of(dirs);
            if (from == null && to == null) return r;
            return r.between(from == null ? Long.MIN_VALUE : parse(from, "--from", cmd),
                    to == null ? Long.MAX_VALUE : parse(to, "--to", cmd));
        }

        private static long parse(String s, String option, CommandLine cmd) {
            try {
                return s.chars().allMatch(Character::isDigit) ? Long.parseLong(s) : Instant.parse(s).toEpochMilli();
            } catch (DateTimeParseException | NumberFormatException e) {
                throw new CommandLine.ParameterException(cmd,
                        option + " must be epoch milliseconds or an ISO-8601 instant, got '" + s + "'");
            }
        }
    }

    /** The replicas of the locations, or null after printing why there is no log (exit code 2). */
    static List<LogLayout.Replica> require(List<Path> dirs, PrintWriter err) {
        try {
            return LogLayout.require(dirs);
        } catch (DomainException e) {
            err.println(e.getMessage());
            err.flush();
            return null;
        }
    }

    @Command(name = "dump", mixinStandardHelpOptions = true,
            description = {"Print every valid record as one JSON object per line (field 'kind': impression or feedback;",
                    "'replica': the replica that logged it), all replicas merged by time. A feedback event logged by",
                    "two replicas (same eventId) is printed once unless --all."})
    static class Dump implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @CommandLine.Mixin
        Location location;
        @CommandLine.Mixin
        Window window;

        @Option(names = "--kind", description = "Only records of this kind (impression, feedback)")
        String kind;

        @Option(names = "--all", description = "Also every further copy of a feedback event logged more than once")
        boolean all;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (require(location.dirs(), err) == null) return 2;
            LogReader reader = window.reader(location.dirs(), spec.commandLine());
            if (all) reader = reader.keepDuplicates();
            try (Stream<LogEntry> s = reader.stream()) {
                s.forEach(e -> {
                    if (kind == null || kind.equals(e.kind())) out.println(e.json());
                });
            }
            out.flush();
            if (!reader.problems().isEmpty()) {
                err.println(reader.problems().size() + " damaged stretch(es) skipped; run `logs verify` for details");
            }
            return 0;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check every record's checksum in every replica's segments; list torn and corrupt records with "
                    + "segment and offset. Exit code 1 when any is found, 2 when there is no log.")
    static class Verify implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @CommandLine.Mixin
        Location location;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            List<LogLayout.Replica> replicas = require(location.dirs(), spec.commandLine().getErr());
            if (replicas == null) return 2;
            LogReader reader = LogReader.of(location.dirs()).keepDuplicates();
            long records;
            try (Stream<LogEntry> s = reader.stream()) {
                records = s.count();
            }
            for (LogProblem p : reader.problems()) out.println(p);
            long torn = reader.problems().stream().filter(p -> p.type() == LogProblem.Type.TORN).count();
            out.printf("%d valid records in %d segments of %d replica(s); %d torn, %d corrupt%n", records,
                    reader.segmentsRead(), replicas.size(), torn, reader.problems().size() - torn);
            out.flush();
            return reader.problems().isEmpty() ? 0 : 1;
        }
    }

    @Command(name = "stats", mixinStandardHelpOptions = true,
            description = {"Summarise the log: replicas, segments, bytes, records by kind, feedback by type and how much",
                    "of it joins an impression in the log (whichever replica logged either), time range, damage."})
    static class Stats implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @CommandLine.Mixin
        Location location;
        @CommandLine.Mixin
        Window window;

        @Option(names = "--no-join", description = "Skip the feedback join (it keeps every impression id in memory:"
                + " about 100 bytes each)")
        boolean noJoin;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            List<LogLayout.Replica> replicas = require(location.dirs(), spec.commandLine().getErr());
            if (replicas == null) return 2;
            int segments = 0;
            int compressed = 0;
            long diskBytes = 0;
            for (LogLayout.Replica r : replicas) {
                for (SegmentFile f : r.segments()) {
                    segments++;
                    if (f.compressed()) compressed++;
                    diskBytes += Files.size(f.path());
                }
            }
            Map<String, long[]> byKind = new TreeMap<>(); // kind -> {records, payload bytes}
            Map<String, Long> feedbackTypes = new TreeMap<>();
            Set<String> impressionIds = noJoin ? null : new HashSet<>();
            List<String> unjoined = new java.util.ArrayList<>();
            long withCandidates = 0;
            long joined = 0;
            long feedback = 0;
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            LogReader reader = window.reader(location.dirs(), spec.commandLine());
            try (Stream<LogEntry> s = reader.stream()) {
                for (LogEntry e : (Iterable<LogEntry>) s::iterator) {
                    long[] c = byKind.computeIfAbsent(e.kind(), k -> new long[2]);
                    c[0]++;
                    c[1] += e.payload().length;
                    if (e.timestamp() > 0) {
                        first = Math.min(first, e.timestamp());
                        last = Math.max(last, e.timestamp());
                    }
                    if (e.isFeedback()) {
                        var tree = e.tree();
                        feedback++;
                        feedbackTypes.merge(tree.path("type").asText(), 1L, Long::sum);
                        if (impressionIds != null) {
                            String id = tree.path("impressionId").asText();
                            if (impressionIds.contains(id)) joined++;
                            else unjoined.add(id);
                        }
                    } else if (e.isImpression()) {
                        if (e.json().contains("\"candidates\":[")) withCandidates++;
                        if (impressionIds != null && e.impressionId() != null) impressionIds.add(e.impressionId());
                    }
                }
            }
            // feedback read before its impression (merged by time, and the clocks of two replicas differ a little)
            if (impressionIds != null) for (String id : unjoined) if (impressionIds.contains(id)) joined++;
            out.printf("location: %s%n", String.join(", ", location.dirs().stream().map(Path::toString).toList()));
            out.printf("replicas: %d%n", replicas.size());
            reader.replicas().forEach((name, c) -> out.printf("  %s: %d records, %d segments%n",
                    name.isEmpty() ? "(unnamed, directly in the location)" : name, c[0], c[1]));
            out.printf("segments: %d (%d compressed), %d bytes on disk%n", segments, compressed, diskBytes);
            byKind.forEach((k, c) -> out.printf("%s records: %d, %d payload bytes (%.0f per record)%n",
                    k.isEmpty() ? "unknown" : k, c[0], c[1], c[0] == 0 ? 0.0 : (double) c[1] / c[0]));
            out.printf("impressions with candidate sets: %d%n", withCandidates);
            if (!feedbackTypes.isEmpty()) out.printf("feedback by type: %s%n", feedbackTypes);
            if (impressionIds != null && feedback > 0) {
                out.printf("feedback joined to an impression in the log: %d of %d%n", joined, feedback);
            }
            out.printf("duplicate feedback skipped (same eventId logged again): %d%n", reader.duplicatesSkipped());
            if (first <= last) out.printf("time range: %s .. %s%n", Instant.ofEpochMilli(first), Instant.ofEpochMilli(last));
            long torn = reader.problems().stream().filter(p -> p.type() == LogProblem.Type.TORN).count();
            out.printf("damaged: %d torn, %d corrupt%n", torn, reader.problems().size() - torn);
            out.flush();
            return 0;
        }
    }
}
