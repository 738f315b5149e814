package io.ranker.policy;

import java.util.List;

/** A rule file failed validation; the live rule set is unchanged. */
public class PolicyRejectedException extends RuntimeException {
    private final List<PolicyError> errors;

    public PolicyRejectedException(String message, List<PolicyError> errors) {
        super(message);
        this.errors = List.copyOf(errors);
    }

    public List<PolicyError> errors() { return errors; }
}
