package io.ranker.scoring.forest;

/**
 * A well-formed model that the Java evaluator does not evaluate (categorical splits, gblinear, an objective
 * whose output transform it does not know). Not an error: the caller serves such a model with xgboost4j.
 */
public class UnsupportedModelException extends RuntimeException {
    public UnsupportedModelException(String reason) {
        super(reason);
    }
}
