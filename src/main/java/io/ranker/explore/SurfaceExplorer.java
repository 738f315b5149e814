package io.ranker.explore;

import io.ranker.core.Explorer;
import io.ranker.core.Exploration;
import io.ranker.core.Candidate;
import io.ranker.core.Placement;

import java.util.List;
import java.util.Set;

/**
 * The explorer of one surface with its safety controls: the configured explorer (hot-swappable), the
 * per-item exposure cap measured over the surface's recent impressions, the surface's {@code enabled} flag, the
 * operators' pause of this surface and the global {@link KillSwitch}. One instance per surface, shared by all its
 * requests; thread-safe.
 */
public final class SurfaceExplorer implements Explorer {
    private record State(ExplorerConfig config, Explorer explorer, ExposureTracker exposure) {
    }

    /**
     * What the explorer decided for one request.
     *
     * @param exploration the list, with the over-exposed items kept out of exploration for this request
     *                    ({@link Exploration#notExplorable()}: replay needs them to reproduce the list)
     * @param explorer    the explorer's name as it served (log it with the impression)
     */
    public record Decision(Exploration exploration, String explorer) {
    }

    private final KillSwitch killSwitch;
    private final java.util.function.BooleanSupplier paused;
    private volatile State state;

    public SurfaceExplorer(ExplorerConfig config, KillSwitch killSwitch) {
        this(config, killSwitch, () -> false);
    }

    /** @param paused whether operators paused this surface's exploration (read per request, from memory) */
    public SurfaceExplorer(ExplorerConfig config, KillSwitch killSwitch, java.util.function.BooleanSupplier paused) {
        this.killSwitch = killSwitch;
        this.paused = paused;
        this.state = new State(config, ExplorerFactory.create(config), new ExposureTracker(config.exposureWindow()));
    }

    /** Swaps in a new configuration; requests in flight finish with the old one. Exposure history is kept. */
    public synchronized void reconfigure(ExplorerConfig config) {
        State old = state;
        ExposureTracker exposure = old.exposure.window() == config.exposureWindow() ? old.exposure
                : new ExposureTracker(config.exposureWindow());
        state = new State(config, ExplorerFactory.create(config), exposure);
    }

    public ExplorerConfig config() {
        return state.config;
    }

    @Override
    public String name() {
        State s = state;
        String off = off();
        return off != null ? off : s.explorer.name();
    }

    /** The explorer name while a switch holds exploration off, else null. */
    private String off() {
        if (killSwitch.engaged()) return "none(kill-switch)";
        if (paused.getAsBoolean()) return "none(paused)";
        return null;
    }

    /** Chooses the list for one request and counts it towards the exposure window. */
    public Decision decide(List<Candidate> ranked, Placement placement, int limit, long seed) {
        return decide(ranked, placement, limit, seed, true);
    }

    /**
     * @param countExposure false for previews and dry runs: they must not count as impressions
     */
    public Decision decide(List<Candidate> ranked, Placement placement, int limit, long seed, boolean countExposure) {
        State s = state;
        String off = off(); // read once: the name logged must be that of the explorer that ran
        Explorer explorer = off != null ? NoExplorer.INSTANCE : s.explorer;
        Set<String> capped = explorer != NoExplorer.INSTANCE && s.config.exposureCapped()
                ? s.exposure.overExposed(ranked, s.config.exposureCap()) : Set.of();
        String name = off != null ? off : explorer.name();
        Exploration exploration = explorer.explore(ranked, placement, limit, seed, capped).withNotExplorable(capped)
                .withExplorer(name);
        if (countExposure) s.exposure.record(exploration.shown());
        return new Decision(exploration, name);
    }

    @Override
    public Exploration explore(List<Candidate> ranked, Placement placement, int limit, long seed) {
        return decide(ranked, placement, limit, seed).exploration();
    }

    @Override
    public Exploration preview(List<Candidate> ranked, Placement placement, int limit, long seed) {
        return decide(ranked, placement, limit, seed, false).exploration();
    }

    /** Exposure share of an item on this surface (for metrics and explain). */
    public double exposure(String itemId) {
        return state.exposure.share(itemId);
    }
}
