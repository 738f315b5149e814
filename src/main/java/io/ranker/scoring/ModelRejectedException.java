package io.ranker.scoring;

import java.util.List;

/**
 * A model (or a models.yaml) that cannot be served: not a model file, a manifest that disagrees with the
 * model or with the feature schema, an unknown version. Thrown at load time, so a broken model never
 * replaces a working one. The HTTP layer answers 422 with {@link #problems()}.
 */
public class ModelRejectedException extends RuntimeException {
    private final List<String> problems;

    public ModelRejectedException(String problem) {
        this(List.of(problem));
    }

    public ModelRejectedException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() { return problems; }
}
