package io.ranker.cli;

import io.ranker.logging.LogEntry;
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
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code logs dump|verify|stats}: read the impression and feedback log without starting the service. */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = "Read the impression and feedback log (segments under <data-dir>/logs).",
        subcommands = {LogsCommand.Dump.class, LogsCommand.Verify.class, LogsCommand.Stats.class})
public class LogsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Where the segments are: --dir, else <data-dir>/logs. */
    static class Location {
        @Option(names = "--data-dir", defaultValue = CliDefaults.DATA_DIR,
                description = "Data directory (default: $RANKING_DATA_DIR or 'data'); segments are read from <data-dir>/logs")
        Path dataDir;

        @Option(names = "--log-dir", description = "Segment directory, when not <data-dir>/logs")
        Path logDir;

        Path dir() {
            return logDir != null ? logDir : dataDir.resolve("logs");
        }
    }

    /** Optional time window on the records' own timestamps. */
    static class Window {
        @Option(names = "--from", description = "Only records at or after this time (epoch millis or ISO-8601)")
        String from;

        @Option(names = "--to", description = "Only records before this time (epoch millis or ISO-8601)")
        String to;

        LogReader reader(Path dir, CommandLine cmd) {
            LogReader r = LogReader.of(dir);
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

    static int missing(PrintWriter err, Path dir) {
        err.println("No log directory at " + dir + ": " + InputFiles.directoryProblem(dir) + " (set --data-dir or --log-dir)");
        return 2;
    }

    @Command(name = "dump", mixinStandardHelpOptions = true,
            description = "Print every valid record as one JSON object per line (field 'kind': impression or feedback).")
    static class Dump implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @CommandLine.Mixin
        Location location;
        @CommandLine.Mixin
        Window window;

        @Option(names = "--kind", description = "Only records of this kind (impression, feedback)")
        String kind;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Path dir = location.dir();
            if (!Files.isDirectory(dir)) return missing(err, dir);
            LogReader reader = window.reader(dir, spec.commandLine());
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
            description = "Check every record's checksum; list torn and corrupt records with segment and offset. "
                    + "Exit code 1 when any is found, 2 when there is no log.")
    static class Verify implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @CommandLine.Mixin
        Location location;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Path dir = location.dir();
            if (!Files.isDirectory(dir)) return missing(spec.commandLine().getErr(), dir);
            LogReader reader = LogReader.of(dir);
            long records;
            try (Stream<LogEntry> s = reader.stream()) {
                records = s.count();
            }
            for (LogProblem p : reader.problems()) out.println(p);
            long torn = reader.problems().stream().filter(p -> p.type() == LogProblem.Type.TORN).count();
            out.printf("%d valid records in %d segments; %d torn, %d corrupt%n", records, reader.segmentsRead(),
                    torn, reader.problems().size() - torn);
            out.flush();
            return reader.problems().isEmpty() ? 0 : 1;
        }
    }

    @Command(name = "stats", mixinStandardHelpOptions = true,
            description = "Summarise the log: segments, bytes, records by kind, feedback by type, time range, damage.")
    static class Stats implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @CommandLine.Mixin
        Location location;
        @CommandLine.Mixin
        Window window;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            Path dir = location.dir();
            if (!Files.isDirectory(dir)) return missing(spec.commandLine().getErr(), dir);
            int segments = 0;
            int compressed = 0;
            long diskBytes = 0;
            for (SegmentFile f : SegmentFile.list(dir)) {
                segments++;
                if (f.compressed()) compressed++;
                diskBytes += Files.size(f.path());
            }
            Map<String, long[]> byKind = new TreeMap<>(); // kind -> {records, payload bytes}
            Map<String, Long> feedbackTypes = new TreeMap<>();
            long withCandidates = 0;
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            LogReader reader = window.reader(dir, spec.commandLine());
            try (Stream<LogEntry> s = reader.stream()) {
                for (LogEntry e : (Iterable<LogEntry>) s::iterator) {
                    long[] c = byKind.computeIfAbsent(e.kind(), k -> new long[2]);
                    c[0]++;
                    c[1] += e.payload().length;
                    if (e.timestamp() > 0) {
                        first = Math.min(first, e.timestamp());
                        last = Math.max(last, e.timestamp());
                    }
                    if (e.isFeedback()) feedbackTypes.merge(e.tree().path("type").asText(), 1L, Long::sum);
                    else if (e.isImpression() && e.json().contains("\"candidates\":[")) withCandidates++;
                }
            }
            out.printf("directory: %s%n", dir);
            out.printf("segments: %d (%d compressed), %d bytes on disk%n", segments, compressed, diskBytes);
            byKind.forEach((k, c) -> out.printf("%s records: %d, %d payload bytes (%.0f per record)%n",
                    k.isEmpty() ? "unknown" : k, c[0], c[1], c[0] == 0 ? 0.0 : (double) c[1] / c[0]));
            out.printf("impressions with candidate sets: %d%n", withCandidates);
            if (!feedbackTypes.isEmpty()) out.printf("feedback by type: %s%n", feedbackTypes);
            if (first <= last) out.printf("time range: %s .. %s%n", Instant.ofEpochMilli(first), Instant.ofEpochMilli(last));
            long torn = reader.problems().stream().filter(p -> p.type() == LogProblem.Type.TORN).count();
            out.printf("damaged: %d torn, %d corrupt%n", torn, reader.problems().size() - torn);
            out.flush();
            return 0;
        }
    }
}
