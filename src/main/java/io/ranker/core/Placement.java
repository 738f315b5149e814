package io.ranker.core;

import java.util.List;
import java.util.Map;

/**
 * Hard constraints that the policy stage hands to the explorer, so that sampling respects them and the
 * logged propensities are those of what was really shown (see ARCHITECTURE.md, propensity semantics).
 *
 * @param fixedPositions 1-based position -> candidate id decided deterministically (pins, filled slots)
 * @param caps           per-attribute caps the sampler must enforce while it draws
 */
public record Placement(Map<Integer, String> fixedPositions, List<CapConstraint> caps) {
    public static final Placement NONE = new Placement(Map.of(), List.of());

    public Placement {
        fixedPositions = Map.copyOf(fixedPositions);
        caps = List.copyOf(caps);
    }
}
