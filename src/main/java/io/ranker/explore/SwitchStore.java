package io.ranker.explore;

/**
 * Where the exploration switches live: a file under the data directory ({@link FileSwitchStore}), the shared store
 * (every replica follows a flip within a second), or memory ({@link #IN_MEMORY}, for commands and tests). A flip is
 * last-writer-wins and audited with its actor.
 */
public interface SwitchStore {
    ExplorationSwitches load();

    /**
     * Sets the kill switch ({@code surface} null) or pauses/resumes one surface's exploration.
     *
     * @param on kill switch engaged, or surface paused
     * @return the switches after the change
     */
    ExplorationSwitches set(String surface, boolean on, String actor);

    /** Switches in this process only (not persisted). */
    SwitchStore IN_MEMORY = new SwitchStore() {
        private ExplorationSwitches now = ExplorationSwitches.NONE;

        @Override
        public synchronized ExplorationSwitches load() {
            return now;
        }

        @Override
        public synchronized ExplorationSwitches set(String surface, boolean on, String actor) {
            now = SwitchStore.apply(now, surface, on, actor, java.time.Instant.now().toString());
            return now;
        }
    };

    /** The switches after one flip. */
    static ExplorationSwitches apply(ExplorationSwitches s, String surface, boolean on, String actor, String at) {
        java.util.Set<String> paused = new java.util.TreeSet<>(s.pausedSurfaces());
        boolean kill = s.killSwitch();
        if (surface == null) kill = on;
        else if (on) paused.add(surface);
        else paused.remove(surface);
        return new ExplorationSwitches(kill, paused, s.revision() + 1, actor, at);
    }
}
