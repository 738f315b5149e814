package io.ranker.policy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ranker.core.DurableFiles;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Published rule sets on disk, under {@code <data-dir>/policies/<surface>/}:
 * {@code versions/<version>.yaml} (the rule file as published), {@code versions/<version>.json} (its
 * {@link PolicyVersion}), and {@code history.jsonl} (one {@link PolicyActivation} per line; the last is live, and
 * the number of lines is the surface's revision). Version files are written once (temp file, fsync, rename, fsync of
 * the directory) and never replaced; history lines are appended and forced to disk, so a crash leaves either the
 * old or the new live version. A torn last line (a crash in the middle of an append) is cut off before the next
 * append, so an acknowledged activation is never glued to it and lost.
 */
public final class FilePolicyVersionStore implements PolicyVersionStore {
    private static final Logger LOG = Logger.getLogger(FilePolicyVersionStore.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private final Path root;

    public FilePolicyVersionStore(Path root) {
        this.root = root;
    }

    public Path root() { return root; }

    @Override
    public synchronized PolicyVersion save(PolicyVersion meta, String yaml) {
        Optional<PolicyVersion> existing = meta(meta.surface(), meta.version());
        if (existing.isPresent()) return existing.get();
        try {
            Path dir = root.resolve(meta.surface()).resolve("versions");
            // the text first: a version whose metadata exists is complete
            DurableFiles.write(dir.resolve(meta.version() + ".yaml"), yaml.getBytes(StandardCharsets.UTF_8));
            DurableFiles.write(dir.resolve(meta.version() + ".json"), JSON.writeValueAsBytes(meta));
            return meta;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store policy version " + meta.version(), e);
        }
    }

    @Override
    public Optional<PolicyVersion> meta(String surface, String version) {
        Path p = root.resolve(surface).resolve("versions").resolve(version + ".json");
        if (!Files.isRegularFile(p)) return Optional.empty();
        try {
            return Optional.of(JSON.readValue(p.toFile(), PolicyVersion.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p, e);
        }
    }

    @Override
    public Optional<String> yaml(String surface, String version) {
        Path p = root.resolve(surface).resolve("versions").resolve(version + ".yaml");
        if (!Files.isRegularFile(p)) return Optional.empty();
        try {
            return Optional.of(Files.readString(p));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p, e);
        }
    }

    @Override
    public List<PolicyVersion> versions(String surface) {
        Path dir = root.resolve(surface).resolve("versions");
        if (!Files.isDirectory(dir)) return List.of();
        List<PolicyVersion> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
                out.add(JSON.readValue(p.toFile(), PolicyVersion.class));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return inActivationOrder(out, history(surface));
    }

    /** Versions sorted by their first activation, then by time (shared by both stores). */
    static List<PolicyVersion> inActivationOrder(List<PolicyVersion> versions, List<PolicyActivation> history) {
        java.util.Map<String, Integer> firstSeen = new java.util.HashMap<>();
        for (int i = 0; i < history.size(); i++) firstSeen.putIfAbsent(history.get(i).version(), i);
        List<PolicyVersion> out = new ArrayList<>(versions);
        out.sort(Comparator.<PolicyVersion>comparingInt(v -> firstSeen.getOrDefault(v.version(), Integer.MAX_VALUE))
                .thenComparing(PolicyVersion::publishedAt).thenComparing(PolicyVersion::version));
        return out;
    }

    @Override
    public synchronized LivePointer activate(String surface, PolicyActivation activation, long expectedRevision) {
        Path file = root.resolve(surface).resolve("history.jsonl");
        try {
            long cut = DurableFiles.truncateTornTail(file);
            if (cut > 0) LOG.warnf("policy %s: cut a torn last line (%d bytes) off %s before appending", surface, cut, file);
            List<PolicyActivation> history = history(surface);
            long revision = history.size();
            if (revision != expectedRevision) throw new StaleRevisionException(pointer(history));
            PolicyActivation stamped = activation.withRevision(revision + 1);
            DurableFiles.append(file, (JSON.writeValueAsString(stamped) + "\n").getBytes(StandardCharsets.UTF_8));
            return new LivePointer(stamped.version(), revision + 1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the activation of " + activation.version(), e);
        }
    }

    private static LivePointer pointer(List<PolicyActivation> history) {
        return history.isEmpty() ? null : new LivePointer(history.get(history.size() - 1).version(), history.size());
    }

    /**
     * Activation history, oldest first. Unreadable lines are skipped (only a torn last line can be one, and the
     * next append cuts it off), so the revision is the number of readable lines.
     */
    @Override
    public List<PolicyActivation> history(String surface) {
        Path p = root.resolve(surface).resolve("history.jsonl");
        if (!Files.isRegularFile(p)) return List.of();
        List<PolicyActivation> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(p)) {
                if (line.isBlank()) continue;
                try {
                    out.add(JSON.readValue(line, PolicyActivation.class));
                } catch (IOException torn) {
                    // only the last line can be torn by a crash; earlier lines were forced to disk whole
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p, e);
        }
        return out;
    }

    @Override
    public Map<String, LivePointer> live() {
        Map<String, LivePointer> out = new TreeMap<>();
        for (String s : surfaces()) {
            LivePointer p = pointer(history(s));
            if (p != null) out.put(s, p);
        }
        return out;
    }

    @Override
    public Optional<LivePointer> live(String surface) {
        return Optional.ofNullable(pointer(history(surface)));
    }

    @Override
    public List<String> surfaces() {
        if (!Files.isDirectory(root)) return List.of();
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("history.jsonl")))
                    .map(d -> d.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }
}
