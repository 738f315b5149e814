package io.ranker.policy;

import java.util.Set;
import java.util.TreeSet;

/**
 * What semantic validation checks rule files against: the same checks on every path that takes a rule set
 * (validate, publish, preview, the dry run, the {@code policy} and {@code replay} commands), each reading the live
 * catalog and the surfaces that have a pipeline.
 *
 * @param knownAttributes item attribute names of the catalog; empty disables the unknown-attribute check (an
 *                        empty catalog at startup must not reject every rule file)
 * @param maxListSize     the largest list a request may ask for: pins and slots beyond it are impossible
 * @param knownSurfaces   surfaces that have a pipeline; a rule set declaring another {@code surface:}, or sent to
 *                        another surface, is refused. Empty disables the check (pipelines not loaded yet)
 */
public record ValidationLimits(Set<String> knownAttributes, int maxListSize, Set<String> knownSurfaces) {
    public static final ValidationLimits DEFAULT = new ValidationLimits(Set.of(), 100);

    public ValidationLimits {
        knownAttributes = Set.copyOf(knownAttributes);
        knownSurfaces = knownSurfaces == null ? Set.of() : Set.copyOf(knownSurfaces);
    }

    /** Without the surface check. */
    public ValidationLimits(Set<String> knownAttributes, int maxListSize) {
        this(knownAttributes, maxListSize, Set.of());
    }

    public ValidationLimits withKnownSurfaces(Set<String> surfaces) {
        return new ValidationLimits(knownAttributes, maxListSize, surfaces);
    }

    /** Why {@code surface} is not one a rule set can be for, or null when it is (or the check is off). */
    public String unknownSurface(String surface) {
        if (knownSurfaces.isEmpty() || knownSurfaces.contains(surface)) return null;
        return "unknown surface '" + surface + "' (surfaces with a pipeline: " + String.join(", ", new TreeSet<>(knownSurfaces)) + ")";
    }
}
