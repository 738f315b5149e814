package io.ranker.explore;

import java.util.Set;
import java.util.TreeSet;

/**
 * The exploration switches that operators flip at run time, persisted in the state store (so a restart never
 * silently resumes exploration): the global kill switch and the surfaces whose exploration is paused. A paused
 * surface serves its deterministic list with propensity 1, whatever its pipeline file's {@code explorer.enabled}
 * says; resuming it gives the pipeline file's setting back.
 *
 * @param revision  grows with every change (0: never changed)
 * @param changedBy the actor of the last change (audit), null when never changed
 */
public record ExplorationSwitches(boolean killSwitch, Set<String> pausedSurfaces, long revision, String changedBy,
                                  String changedAt) {
    public static final ExplorationSwitches NONE = new ExplorationSwitches(false, Set.of(), 0, null, null);

    public ExplorationSwitches {
        pausedSurfaces = pausedSurfaces == null ? Set.of() : Set.copyOf(new TreeSet<>(pausedSurfaces));
    }

    public boolean paused(String surface) {
        return pausedSurfaces.contains(surface);
    }
}
