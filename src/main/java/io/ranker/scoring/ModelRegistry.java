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
 * pass the structural checks in Java before xgboost4j parses it, then it must load and match the feature schema)
 * and publishes the directory with an atomic rename, so a half-written or broken model never appears as a version.
 * Registering does not activate anything: routing lives in the {@link RoutingStore} ({@link ModelRouter}). With
 * shared {@link ModelArtifacts} (several replicas), a registered model is also published there, and a version this
 * replica does not have yet is fetched from there, verified, written here and loaded (structural checks and test
 * prediction included) before anything routes to it.
 */
public final class ModelRegistry {
    public static final String MANIFEST = "manifest.json";

    private final Path dir;
    private final List<String> schemaFeatures;
    private final ScoringEvaluator evaluator;
    private final Map<String, XgboostScorer> loaded = new ConcurrentHashMap<>();
    private final ModelArtifacts shared;

    /**
     * @param modelsDir      {@code <data-dir>/models}
     * @param schemaFeatures feature schema names in candidate vector order; every model is checked against it
     */
    public ModelRegistry(Path modelsDir, List<String> schemaFeatures) {
        this(modelsDir, schemaFeatures, ScoringEvaluator.JAVA, ModelArtifacts.NONE);
    }

    /** @param evaluator which implementation scores the models loaded from here */
    public ModelRegistry(Path modelsDir, List<String> schemaFeatures, ScoringEvaluator evaluator) {
        this(modelsDir, schemaFeatures, evaluator, ModelArtifacts.NONE);
    }

    /** @param shared where models are shared with other replicas ({@link ModelArtifacts#NONE}: nowhere) */
    public ModelRegistry(Path modelsDir, List<String> schemaFeatures, ScoringEvaluator evaluator, ModelArtifacts shared) {
        this.dir = modelsDir;
        this.shared = shared;
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
        String file = "model." + format;
        Path target = storeLocally(version, file, modelBytes, manifest.toJson());
        loaded.putIfAbsent(version, scorer);
        shared.publish(new ModelArtifacts.Artifact(version, modelBytes, manifest.toJson(), format));
        return new RegisteredModel(version, readManifest(target), file);
    }

    /** Writes a version's directory (files forced to disk, then one atomic rename); a no-op when it exists. */
    private Path storeLocally(String version, String file, byte[] modelBytes, byte[] manifestJson) {
        Path target = dir.resolve(version);
        if (Files.isDirectory(target)) return target;
        Path tmp = dir.resolve(".tmp-" + UUID.randomUUID());
        try {
            Files.createDirectories(tmp);
            writeForced(tmp.resolve(file), modelBytes);
            writeForced(tmp.resolve(MANIFEST), manifestJson);
            io.ranker.core.DurableFiles.forceDirectory(tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target);
            }
            io.ranker.core.DurableFiles.forceDirectory(dir);
        } catch (IOException e) {
            deleteQuietly(tmp);
            if (!Files.isDirectory(target)) throw new UncheckedIOException("cannot store model " + version, e);
        }
        return target;
    }

    private static void writeForced(Path p, byte[] bytes) throws IOException {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(p, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) ch.write(b);
            ch.force(true);
        }
    }

    /**
     * Makes a version that another replica published available here: fetched, checked against its checksum and its
     * version hash, written to this data directory.
     *
     * @return whether the version is here now
     */
    public boolean ensureLocal(String version) {
        if (exists(version)) return true;
        if (!isVersionName(version)) return false;
        java.util.Optional<ModelArtifacts.Artifact> a = shared.fetch(version);
        if (a.isEmpty()) return false;
        ModelManifest manifest = ModelManifest.parse(a.get().manifest());
        String actual = versionOf(a.get().model(), manifest);
        if (!actual.equals(version)) {
            throw new ModelRejectedException("the shared copy of model " + version + " hashes to " + actual + ": refusing it");
        }
        storeLocally(version, "model." + XgboostScorer.detectFormat(a.get().model()), a.get().model(), a.get().manifest());
        return true;
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
        if (!ensureLocal(version)) {
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

    /** Stored versions (here and, when shared, those other replicas published), newest first. */
    public List<RegisteredModel> list() {
        List<RegisteredModel> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(Files::isDirectory).toList()) {
                String v = p.getFileName().toString();
                if (!exists(v)) continue;
                try {
                    ModelManifest m = readManifest(p);
                    out.add(new RegisteredModel(v, m, modelFile(p).getFileName().toString()));
                    seen.add(v);
                } catch (RuntimeException | IOException e) {
                    // an unreadable version is simply not listed; serving it is refused by scorer()
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (ModelArtifacts.Listed l : shared.list()) {
            if (!seen.add(l.version())) continue;
            try {
                out.add(new RegisteredModel(l.version(), ModelManifest.parse(l.manifest()), l.file()));
            } catch (RuntimeException e) {
                // unreadable manifest: not listed; fetching the version refuses it
            }
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
