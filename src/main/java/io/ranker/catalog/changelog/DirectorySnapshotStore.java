package io.ranker.catalog.changelog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Snapshots as directories under one root (a local disk, or a volume several replicas mount):
 * {@code <root>/<name>/} holds the commit's files and {@code snapshot.json} (position, counts, file sizes).
 * A snapshot is written into a hidden {@code .partial-*} directory, fsynced, and renamed into place, so readers
 * never see a half-written one; deletion renames it away first for the same reason.
 */
public final class DirectorySnapshotStore implements SnapshotStore {
    private static final Logger LOG = Logger.getLogger(DirectorySnapshotStore.class);
    static final String MANIFEST = "snapshot.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;

    public DirectorySnapshotStore(Path root) {
        this.root = root.toAbsolutePath();
    }

    /** A name that sorts like the position it covers. */
    public static String nameFor(ChangelogPosition position) {
        return String.format("snapshot-%013d-%06d", position.lastId().millis(), position.lastId().sequence());
    }

    @Override
    public List<Snapshot> list() throws IOException {
        if (!Files.isDirectory(root)) return List.of();
        List<Snapshot> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                if (d.getFileName().toString().startsWith(".") || !Files.isRegularFile(d.resolve(MANIFEST))) continue;
                try {
                    out.add(read(d.resolve(MANIFEST)));
                } catch (IOException | RuntimeException e) {
                    LOG.warnf("snapshot store %s: ignoring %s (%s)", root, d.getFileName(), e.toString());
                }
            }
        }
        out.sort(Comparator.comparing((Snapshot s) -> s.position().lastId()).reversed());
        return out;
    }

    @Override
    public Snapshot put(Snapshot description, Path dir, Collection<String> files) throws IOException {
        Files.createDirectories(root);
        Path partial = root.resolve(".partial-" + description.name() + "-" + UUID.randomUUID());
        Files.createDirectories(partial);
        try {
            Map<String, Long> sizes = new LinkedHashMap<>();
            for (String f : files) {
                Path to = partial.resolve(f);
                Files.copy(dir.resolve(f), to);
                fsync(to);
                sizes.put(f, Files.size(to));
            }
            Snapshot stored = new Snapshot(description.name(), description.position(), description.items(), description.dimension(),
                    description.similarity(), description.created(), description.source(), sizes);
            Files.write(partial.resolve(MANIFEST), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(toJson(stored)));
            fsync(partial.resolve(MANIFEST));
            Path target = root.resolve(description.name());
            try {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("snapshot store " + root + " cannot rename atomically; use a POSIX file system", e);
            } catch (IOException e) {
                if (!Files.isRegularFile(target.resolve(MANIFEST))) throw e;
                // the same position was stored already (by another replica): it covers the same entries, keep it
                deleteTree(partial);
                return read(target.resolve(MANIFEST));
            }
            return stored;
        } catch (IOException | RuntimeException e) {
            deleteTree(partial);
            throw e;
        }
    }

    @Override
    public void fetch(Snapshot snapshot, Path target) throws IOException {
        Path from = root.resolve(snapshot.name());
        Files.createDirectories(target);
        for (var f : snapshot.files().entrySet()) {
            Path to = target.resolve(f.getKey());
            Files.copy(from.resolve(f.getKey()), to, StandardCopyOption.REPLACE_EXISTING);
            if (Files.size(to) != f.getValue()) {
                throw new IOException("snapshot " + snapshot.name() + ": " + f.getKey() + " has " + Files.size(to) + " bytes, the manifest says " + f.getValue());
            }
        }
    }

    @Override
    public void delete(Snapshot snapshot) throws IOException {
        Path dir = root.resolve(snapshot.name());
        if (!Files.exists(dir)) return;
        Path doomed = root.resolve(".deleting-" + snapshot.name() + "-" + UUID.randomUUID());
        Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE);
        deleteTree(doomed);
    }

    @Override
    public String location() { return root.toString(); }

    private static ObjectNode toJson(Snapshot s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("name", s.name());
        n.put("epoch", s.position().epoch());
        n.put("lastId", s.position().lastId().toString());
        n.put("consumed", s.position().consumed());
        n.put("items", s.items());
        n.put("dimension", s.dimension());
        n.put("similarity", s.similarity());
        n.put("created", s.created().toString());
        n.put("source", s.source());
        ObjectNode files = n.putObject("files");
        s.files().forEach(files::put);
        return n;
    }

    private static Snapshot read(Path manifest) throws IOException {
        JsonNode n = JSON.readTree(manifest.toFile());
        Map<String, Long> files = new LinkedHashMap<>();
        n.path("files").fields().forEachRemaining(e -> files.put(e.getKey(), e.getValue().asLong()));
        ChangelogPosition p = new ChangelogPosition(n.path("epoch").asText(), StreamId.parse(n.path("lastId").asText()), n.path("consumed").asLong());
        return new Snapshot(n.path("name").asText(), p, n.path("items").asInt(), n.path("dimension").asInt(), n.path("similarity").asText(),
                Instant.parse(n.path("created").asText()), n.path("source").asText(), files);
    }

    private static void fsync(Path file) throws IOException {
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
            c.force(true);
        }
    }

    /** Deletes a directory and everything in it (nothing when absent). */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
