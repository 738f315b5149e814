package io.ranker.scoring;

/**
 * A model failed while scoring a request. The pipeline catches it, keeps retrieval order and records
 * {@link #degradation()} (e.g. {@code model:3f9a0c1d2e4b5a69:error}) in the response's {@code degraded}.
 */
public class ModelScoringException extends RuntimeException {
    private final String modelVersion;

    public ModelScoringException(String modelVersion, String message, Throwable cause) {
        super("model " + modelVersion + ": " + message, cause);
        this.modelVersion = modelVersion;
    }

    public String modelVersion() { return modelVersion; }

    /** The name of this failure in the response's {@code degraded} list. */
    public String degradation() { return "model:" + modelVersion + ":error"; }
}
