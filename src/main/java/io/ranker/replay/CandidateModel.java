package io.ranker.replay;

import io.ranker.core.FieldError;
import io.ranker.core.DomainException;
import io.ranker.scoring.ModelManifest;
import io.ranker.scoring.ModelRejectedException;
import io.ranker.scoring.XgboostScorer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A model to replay: its bytes and manifest, from the registry ({@code <data-dir>/models/<version>/}) or from
 * a file. Loaded against the feature names the logs recorded, never against today's schema: the logs are
 * what it will be scored on.
 */
public record CandidateModel(String version, byte[] modelBytes, ModelManifest manifest) {
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    /**
     * @throws DomainException 422 (pointer {@code pointer}) when the version is unknown or unreadable
     */
    public static CandidateModel fromRegistry(Path modelsDir, String version, String pointer) {
        if (version == null || !VERSION.matcher(version).matches()) {
            throw unprocessable(pointer, "model version '" + version + "' is not a valid version name");
        }
        Path dir = modelsDir.resolve(version);
        if (!Files.isRegularFile(dir.resolve("manifest.json"))) {
            // never the server's paths in an answer: the caller needs the version, not where it would be
            throw unprocessable(pointer, "unknown model version '" + version + "' (GET /v1/models lists the stored versions)");
        }
        try {
            Path file = Files.isRegularFile(dir.resolve("model.ubj")) ? dir.resolve("model.ubj") : dir.resolve("model.json");
            return new CandidateModel(version, Files.readAllBytes(file),
                    ModelManifest.parse(Files.readAllBytes(dir.resolve("manifest.json"))));
        } catch (IOException e) {
            throw unprocessable(pointer, "model version '" + version + "' cannot be read (" + e.getClass().getSimpleName() + ")");
        } catch (RuntimeException e) {
            throw unprocessable(pointer, "model version '" + version + "' cannot be read: " + e.getMessage());
        }
    }

    public static CandidateModel fromFiles(Path modelFile, Path manifestFile) {
        try {
            byte[] bytes = Files.readAllBytes(modelFile);
            ModelManifest manifest = ModelManifest.parse(Files.readAllBytes(manifestFile));
            return new CandidateModel("file:" + modelFile.getFileName(), bytes, manifest);
        } catch (IOException e) {
            throw unprocessable("/modelFile", "cannot read " + e.getMessage());
        }
    }

    /** The model's features that the logs did not record (in the manifest's order). */
    public List<String> missingFrom(List<String> loggedFeatures) {
        Set<String> logged = new HashSet<>(loggedFeatures);
        List<String> missing = new ArrayList<>();
        for (String f : manifest.features()) if (!logged.contains(f)) missing.add(f);
        return missing;
    }

    /**
     * @throws DomainException 422 listing the missing features when the logs lack some, or when the model
     *                          does not load
     */
    public XgboostScorer load(List<String> loggedFeatures) {
        List<String> missing = missingFrom(loggedFeatures);
        if (!missing.isEmpty()) {
            throw new DomainException(DomainException.Kind.UNPROCESSABLE, "Candidate model needs features absent from the logs",
                    "model " + version + " needs " + missing.size() + " feature(s) the logged candidates do not "
                            + "carry: " + missing + " (logged features: " + loggedFeatures.size() + ")",
                    List.of(FieldError.at("/modelVersion", "missing features: " + missing)));
        }
        try {
            return XgboostScorer.load(version, modelBytes, manifest, loggedFeatures);
        } catch (ModelRejectedException e) {
            throw unprocessable("/modelVersion", "model " + version + " cannot be loaded: " + e.getMessage());
        }
    }

    static DomainException unprocessable(String pointer, String detail) {
        return DomainException.unprocessable(detail, List.of(FieldError.at(pointer, detail)));
    }
}
