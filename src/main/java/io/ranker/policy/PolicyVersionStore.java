package io.ranker.policy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Published rule sets on disk, under {@code <data-dir>/policies/<surface>/}:
 * {@code versions/<version>.yaml} (the rule file as published), {@code versions/<version>.json} (its
 * {@link PolicyVersion}), and {@code history.jsonl} (one {@link PolicyActivation} per line; the last is live).
 * Version files are written once (temp file + atomic rename) and never replaced; history lines are appended
 * and forced to disk, so a crash leaves either the old or the new live version.
 */
public final class PolicyVersionStore {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private final Path root;

    public PolicyVersionStore(Path root) {
        this.root = root;
    }

    public Path root() { return root; }

    /** Stores a version unless that content is already stored; returns the stored metadata either way. */
    public synchronized PolicyVersion save(PolicyVersion meta, String yaml) {
        Optional<PolicyVersion> existing = meta(meta.surface(), meta.version());
        if (existing.isPresent()) return existing.get();
        try {
            Path dir = root.resolve(meta.surface()).resolve("versions");
            Files.createDirectories(dir);
            writeAtomically(dir.resolve(meta.version() + ".yaml"), yaml.getBytes(StandardCharsets.UTF_8));
            writeAtomically(dir.resolve(meta.version() + ".json"), JSON.writeValueAsBytes(meta));
            return meta;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store policy version " + meta.version(), e);
        }
    }

    public Optional<PolicyVersion> meta(String surface, String version) {
        Path p = root.resolve(surface).resolve("versions").resolve(version + ".json");
        if (!Files.isRegularFile(p)) return Optional.empty();
        try {
            return Optional.of(JSON.readValue(p.toFile(), PolicyVersion.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p, e);
        }
    }

    public Optional<String> yaml(String surface, String version) {
        Path p = root.resolve(surface).resolve("versions").resolve(version + ".yaml");
        if (!Files.isRegularFile(p)) return Optional.empty();
        try {
            return Optional.of(Files.readString(p));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p, e);
        }
    }

    /** All stored versions of a surface, in the order they were first activated (then by time). */
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
        java.util.Map<String, Integer> firstSeen = new java.util.HashMap<>();
        List<PolicyActivation> history = history(surface);
        for (int i = 0; i < history.size(); i++) firstSeen.putIfAbsent(history.get(i).version(), i);
        out.sort(Comparator.<PolicyVersion>comparingInt(v -> firstSeen.getOrDefault(v.version(), Integer.MAX_VALUE))
                .thenComparing(PolicyVersion::publishedAt).thenComparing(PolicyVersion::version));
        return out;
    }

    public synchronized void activate(String surface, PolicyActivation activation) {
        try {
            Path dir = root.resolve(surface);
            Files.createDirectories(dir);
            byte[] line = (JSON.writeValueAsString(activation) + "\n").getBytes(StandardCharsets.UTF_8);
            try (FileChannel ch = FileChannel.open(dir.resolve("history.jsonl"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                ch.write(java.nio.ByteBuffer.wrap(line));
                ch.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the activation of " + activation.version(), e);
        }
    }

    /** Activation history, oldest first; a torn last line (crash mid-append) is ignored. */
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

    /** Surfaces with a stored history. */
    public List<String> surfaces() {
        if (!Files.isDirectory(root)) return List.of();
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("history.jsonl")))
                    .map(d -> d.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }

    private static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(bytes));
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
