package io.ranker.logging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A segment on disk: {@code segment-<seq>-<startMillis>.log} while open or not yet compressed,
 * {@code .log.gz} once compressed. Sequence numbers order segments; the start time lets readers skip
 * segments outside a time range.
 */
public record SegmentFile(Path path, long seq, long startMillis, boolean compressed) {
    private static final Pattern NAME = Pattern.compile("segment-(\\d{10,})-(\\d+)\\.log(\\.gz)?");

    static Path pathFor(Path dir, long seq, long startMillis) {
        return dir.resolve(String.format("segment-%010d-%d.log", seq, startMillis));
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
        return new SegmentFile(p, Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), m.group(3) != null);
    }

    /**
     * Segments of a directory in order. When both a segment and its compressed copy exist (a crash between
     * compressing and deleting), the compressed one is listed: it is complete, it was renamed into place
     * only after being written fully.
     */
    public static List<SegmentFile> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        List<SegmentFile> all = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.map(SegmentFile::parse).filter(f -> f != null).forEach(all::add);
        }
        all.sort(Comparator.comparingLong(SegmentFile::seq).thenComparing(f -> !f.compressed()));
        List<SegmentFile> out = new ArrayList<>();
        for (SegmentFile f : all) {
            if (!out.isEmpty() && out.get(out.size() - 1).seq() == f.seq()) continue;
            out.add(f);
        }
        return out;
    }
}
