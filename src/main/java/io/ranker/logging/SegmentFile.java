package io.ranker.logging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A segment on disk: {@code segment-<seq>-<startMillis>-<replica>.log} while open or not yet compressed,
 * {@code .log.gz} once compressed; segments written before replicas had ids have no {@code -<replica>} part (and
 * {@link #replica} is null). Sequence numbers order the segments of one replica; the start time lets readers skip
 * segments outside a time range; the replica keeps the segments of two replicas apart even when copied into one
 * folder (both number theirs from 1).
 */
public record SegmentFile(Path path, long seq, long startMillis, boolean compressed, String replica) {
    private static final Pattern NAME = Pattern.compile(
            "segment-(\\d{10,})-(\\d+)(?:-([A-Za-z0-9][A-Za-z0-9._-]{0,63}))?\\.log(\\.gz)?");

    static Path pathFor(Path dir, String replica, long seq, long startMillis) {
        return dir.resolve(replica == null ? String.format("segment-%010d-%d.log", seq, startMillis)
                : String.format("segment-%010d-%d-%s.log", seq, startMillis, replica));
    }

    public String name() {
        return path.getFileName().toString();
    }

    /** The uncompressed path of this segment (the compressed one's sibling). */
    Path logPath() {
        return compressed ? path.resolveSibling(name().substring(0, name().length() - 3)) : path;
    }

    static SegmentFile parse(Path p) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        if (!m.matches()) return null;
        return new SegmentFile(p, Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), m.group(4) != null, m.group(3));
    }

    /**
     * Segments of a directory in order: by replica (the unnamed old layout first), then sequence. When both a segment
     * and its compressed copy exist (a crash between compressing and deleting), the compressed one is listed: it is
     * complete, it was renamed into place only after being written fully.
     */
    public static List<SegmentFile> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        List<SegmentFile> all = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.map(SegmentFile::parse).filter(Objects::nonNull).forEach(all::add);
        }
        all.sort(Comparator.comparing((SegmentFile f) -> f.replica() == null ? "" : "~" + f.replica())
                .thenComparingLong(SegmentFile::seq).thenComparing(f -> !f.compressed()));
        List<SegmentFile> out = new ArrayList<>();
        for (SegmentFile f : all) {
            if (!out.isEmpty()) {
                SegmentFile last = out.get(out.size() - 1);
                if (last.seq() == f.seq() && Objects.equals(last.replica(), f.replica())) continue;
            }
            out.add(f);
        }
        return out;
    }
}
