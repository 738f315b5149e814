package io.ranker.logging;

import io.ranker.core.DomainException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Where the records of a log location are: one ordered run of segments per replica. A location is a log root, read as
 * one log: segments directly in it (the single-replica layout of old, or segments copied into one folder) and in each
 * of its immediate subdirectories ({@code <root>/<replica-id>/}, one per replica). Segments are grouped by the replica
 * named in their file name, so the segments of two replicas copied into one folder (both numbered from 1) stay two
 * runs; segments without a replica in their name form one run per directory.
 */
public final class LogLayout {
    /**
     * One replica's segments, in order.
     *
     * @param replica the replica id from the segment names; for unnamed (old) segments the directory's name, or
     *                {@code ""} when they lie directly in a given location
     */
    public record Replica(String replica, Path dir, List<SegmentFile> segments) {
    }

    private LogLayout() {
    }

    /**
     * The replicas of every location, in location order. A named replica's segment (replica id and sequence number)
     * found in two locations, e.g. a live root and its copy both given, is read from the first only.
     */
    public static List<Replica> discover(List<Path> locations) {
        List<Replica> out = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (Path location : locations) {
            List<Path> dirs = new ArrayList<>();
            dirs.add(location);
            if (Files.isDirectory(location)) {
                try (Stream<Path> s = Files.list(location)) {
                    s.filter(Files::isDirectory).sorted().forEach(dirs::add);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot list " + location, e);
                }
            }
            for (Path dir : dirs) {
                for (Replica r : replicasIn(dir, dir.equals(location) ? "" : dir.getFileName().toString())) {
                    List<SegmentFile> fresh = r.segments().stream()
                            .filter(f -> f.replica() == null || taken.add(f.replica() + "#" + f.seq())).toList();
                    if (!fresh.isEmpty()) out.add(new Replica(r.replica(), r.dir(), fresh));
                }
            }
        }
        return out;
    }

    private static List<Replica> replicasIn(Path dir, String unnamed) {
        List<SegmentFile> all;
        try {
            all = SegmentFile.list(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        Map<String, List<SegmentFile>> byReplica = new LinkedHashMap<>();
        for (SegmentFile f : all) {
            byReplica.computeIfAbsent(f.replica() == null ? "\0" : f.replica(), k -> new ArrayList<>()).add(f);
        }
        List<Replica> out = new ArrayList<>();
        byReplica.forEach((k, files) -> out.add(new Replica(k.equals("\0") ? unnamed : k, dir, List.copyOf(files))));
        return out;
    }

    /**
     * @throws DomainException NOT_FOUND naming the location, when a location is missing or holds no segment (readers
     *                         must not report zero records for a mistyped path)
     */
    public static List<Replica> require(List<Path> locations) {
        if (locations.isEmpty()) throw DomainException.notFound("no log location given");
        for (Path location : locations) {
            if (!Files.isDirectory(location)) {
                throw DomainException.notFound("no impression log at " + location.toAbsolutePath() + ": the directory does not exist"
                        + " (set --data-dir or --log-dir to a log root)");
            }
            if (discover(List.of(location)).isEmpty()) {
                throw DomainException.notFound("no impression log at " + location.toAbsolutePath() + ": no segment-*.log[.gz] in it"
                        + " or in its subdirectories (one per replica)");
            }
        }
        return discover(locations);
    }
}
