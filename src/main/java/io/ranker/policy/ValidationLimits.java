package io.ranker.policy;

import java.util.Set;

/**
 * What semantic validation checks rule files against.
 *
 * @param knownAttributes item attribute names of the catalog; empty disables the unknown-attribute check (an
 *                        empty catalog at startup must not reject every rule file)
 * @param maxListSize     the largest list a request may ask for: pins and slots beyond it are impossible
 */
public record ValidationLimits(Set<String> knownAttributes, int maxListSize) {
    public static final ValidationLimits DEFAULT = new ValidationLimits(Set.of(), 100);

    public ValidationLimits {
        knownAttributes = Set.copyOf(knownAttributes);
    }
}
