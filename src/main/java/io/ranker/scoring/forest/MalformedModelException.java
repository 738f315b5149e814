package io.ranker.scoring.forest;

import java.util.List;

/**
 * A model file that is broken: not parseable, or trees whose structure would send a tree walk out of bounds
 * or round in circles (a split on a column the model does not have, a child index out of range, a node
 * reached twice, a non-finite threshold). Such a model must never reach native code; the service refuses it.
 */
public class MalformedModelException extends RuntimeException {
    private final List<String> problems;

    public MalformedModelException(String problem) {
        this(List.of(problem));
    }

    public MalformedModelException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() { return problems; }
}
