package io.ranker.scoring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Model versions on disk: {@code <data-dir>/models/<version>/model.{ubj|json}} plus {@code manifest.json}.
 * A version is a content hash (model bytes and feature list), so the same model registered twice is one
 * version, and a version name says exactly what serves. Registering validates the model first (its trees must
 * pass the structural checks in Java before xgboost4j parses it, then it must load and match the feature schema) and publishes the directory with an atomic rename, so a half-written or
 * broken model never appears as a version. Registering does not activate anything: routing lives in
 * models.yaml ({@link ModelRouter}).
 */
public final class ModelRegistry {
    public static final String MANIFEST = "manifest.json";

    private final Path dir;
    private final List<String> schemaFeatures;
    private final ScoringEvaluator evaluator;
    private final Map<String, XgboostScorer> loaded = new ConcurrentHashMap<>();

    /**
     * @param modelsDir      {@code <data-dir>/models}
     * @param schemaFeatures feature schema names in candidate vector order; every model is checked against it
     */
    public ModelRegistry(Path modelsDir, List<String> schemaFeatures) {
        this(modelsDir, schemaFeatures, ScoringEvaluator.JAVA);
    }

    /** @param evaluator which implementation scores the models loaded from here */
    public ModelRegistry(Path modelsDir, List<String> schemaFeatures, ScoringEvaluator evaluator) {
        this.dir = modelsDir;
        this.schemaFeatures = List.copyOf(schemaFeatures);
        this.evaluator = evaluator;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the model directory " + dir, e);
        }
    }

    public Path directory() { return dir; }

    public List<String> schemaFeatures() { return schemaFeatures; }

    /** A stored version and its manifest. */
    public record RegisteredModel(String version, ModelManifest manifest, String file) {
    }

    /**
     * Validates and stores a model; returns its version (existing versions are returned unchanged).
     *
     * @throws ModelRejectedException the bytes are not a servable model for this schema; nothing is written
     */
    public RegisteredModel register(byte[] modelBytes, byte[] manifestJson) {
        ModelManifest manifest = ModelManifest.parse(manifestJson);
        String format = XgboostScorer.detectFormat(modelBytes);
        if (manifest.format() != null && !manifest.format().equals(format)) {
            throw new ModelRejectedException("manifest.json says format '" + manifest.format()
                    + "' but the model file is " + format);
        }
        manifest = manifest.withFormat(format);
        String version = versionOf(modelBytes, manifest);
        XgboostScorer scorer = XgboostScorer.load(version, modelBytes, manifest, schemaFeatures, evaluator);
        Path target = dir.resolve(version);
        String file = "model." + format;
        if (!Files.isDirectory(target)) {
            Path tmp = dir.resolve(".tmp-" + UUID.randomUUID());
            try {
                Files.createDirectories(tmp);
                Files.write(tmp.resolve(file), modelBytes);
                Files.write(tmp.resolve(MANIFEST), manifest.toJson());
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target);
                }
            } catch (IOException e) {
                deleteQuietly(tmp);
                if (!Files.isDirectory(target)) throw new UncheckedIOException("cannot store model " + version, e);
            }
        }
        loaded.putIfAbsent(version, scorer);
        return new RegisteredModel(version, readManifest(target), file);
    }

    /** The content hash naming a version: model bytes plus its ordered feature list. */
    static String versionOf(byte[] modelBytes, ModelManifest manifest) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(modelBytes);
            sha.update((byte) 0);
            sha.update(String.join("\n", manifest.features()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean exists(String version) {
        return isVersionName(version) && Files.isRegularFile(dir.resolve(version).resolve(MANIFEST));
    }

    /**
     * The loaded scorer of a version (loaded once, then shared).
     *
     * @throws ModelRejectedException unknown version, or stored files that no longer load or match the schema
     */
    public XgboostScorer scorer(String version) {
        XgboostScorer s = loaded.get(version);
        if (s != null) return s;
        if (!exists(version)) {
            throw new ModelRejectedException("unknown model version '" + version + "' (known: "
                    + list().stream().map(RegisteredModel::version).toList() + ")");
        }
        Path vdir = dir.resolve(version);
        ModelManifest manifest = readManifest(vdir);
        byte[] bytes;
        try {
            Path file = modelFile(vdir);
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ModelRejectedException("model version " + version + " has no readable model file: " + e.getMessage());
        }
        XgboostScorer loadedNow = XgboostScorer.load(version, bytes, manifest, schemaFeatures, evaluator);
        XgboostScorer prev = loaded.putIfAbsent(version, loadedNow);
        return prev != null ? prev : loadedNow;
    }

    /** Stored versions, newest first. */
    public List<RegisteredModel> list() {
        List<RegisteredModel> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(Files::isDirectory).toList()) {
                String v = p.getFileName().toString();
                if (!exists(v)) continue;
                try {
                    ModelManifest m = readManifest(p);
                    out.add(new RegisteredModel(v, m, modelFile(p).getFileName().toString()));
                } catch (RuntimeException | IOException e) {
                    // an unreadable version is simply not listed; serving it is refused by scorer()
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort(Comparator.comparing((RegisteredModel r) -> r.manifest().created() == null ? "" : r.manifest().created())
                .reversed().thenComparing(RegisteredModel::version));
        return out;
    }

    private static Path modelFile(Path vdir) throws IOException {
        for (String name : List.of("model.ubj", "model.json")) {
            Path p = vdir.resolve(name);
            if (Files.isRegularFile(p)) return p;
        }
        throw new IOException("no model.ubj or model.json in " + vdir);
    }

    private static ModelManifest readManifest(Path vdir) {
        try {
            return ModelManifest.parse(Files.readAllBytes(vdir.resolve(MANIFEST)));
        } catch (IOException e) {
            throw new ModelRejectedException("cannot read " + vdir.resolve(MANIFEST) + ": " + e.getMessage());
        }
    }

    static boolean isVersionName(String v) {
        return v != null && v.matches("[0-9a-f]{16}");
    }

    private static void deleteQuietly(Path p) {
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a leftover .tmp directory is never listed as a version
        }
    }
}
