package io.ranker.explore;

import io.ranker.core.Explorer;
import io.ranker.core.Exploration;
import io.ranker.core.Candidate;
import io.ranker.core.Placement;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The explorer of one surface with its safety controls: the configured explorer (hot-swappable), the
 * per-item exposure cap measured over the surface's recent impressions (this replica's), the per-item exposure limit
 * per period ({@link ExposureCounts}: every replica's lists with the shared store), the surface's {@code enabled} flag,
 * the operators' pause of this surface and the global {@link KillSwitch}. One instance per surface, shared by all its
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

    /** How deep in the policy order the exposure limit looks at most (pools are far shallower; top-k 0 is all). */
    static final int LIMIT_CHECK_DEPTH = 1000;
    /** Extra candidates read beyond the pool's reach, for the deterministic list's pinned and held candidates. */
    private static final int REACH_MARGIN = 10;

    private final KillSwitch killSwitch;
    private final String surface;
    private final ExposureCounts counts;
    private final java.util.function.BooleanSupplier paused;
    private volatile State state;

    public SurfaceExplorer(ExplorerConfig config, KillSwitch killSwitch) {
        this("", config, killSwitch, new LocalExposureCounts(), () -> false);
    }

    /** Never paused (tests and benchmarks of the exposure limit). */
    public SurfaceExplorer(String surface, ExplorerConfig config, KillSwitch killSwitch, ExposureCounts counts) {
        this(surface, config, killSwitch, counts, () -> false);
    }

    /**
     * @param counts where the surface's exposure limit is counted (shared by replicas or this replica's)
     * @param paused whether operators paused this surface's exploration (read per request, from memory)
     */
    public SurfaceExplorer(String surface, ExplorerConfig config, KillSwitch killSwitch, ExposureCounts counts,
                           java.util.function.BooleanSupplier paused) {
        this.surface = surface;
        this.counts = counts;
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
        if (explorer != NoExplorer.INSTANCE && s.config.exposureLimited()) capped = union(capped, atLimit(s.config, ranked, limit));
        String name = off != null ? off : explorer.name();
        Exploration exploration = explorer.explore(ranked, placement, limit, seed, capped).withNotExplorable(capped)
                .withExplorer(name);
        if (countExposure) {
            // counted here, where the local exposure window is: only a served list counts (previews and dry runs do not)
            s.exposure.record(exploration.shown());
            if (s.config.exposureLimited()) counts.add(surface, s.config.exposurePeriodMillis(), ids(exploration.shown()));
        }
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

    /**
     * The candidates at the exposure limit among those the explorer could sample. Plackett-Luce fills its pool with the
     * best candidates in policy order that are not kept out, so the counts are read in chunks until enough candidates
     * under the limit cover the pool (one read unless many of the best are at the limit); shuffle-top-n only permutes
     * the deterministic list, which the limit never changes, so it reads nothing.
     */
    private Set<String> atLimit(ExplorerConfig cfg, List<Candidate> ranked, int limit) {
        if (!ExplorerConfig.PLACKETT_LUCE.equals(cfg.type()) || ranked.isEmpty()) return Set.of();
        int n = Math.min(ranked.size(), LIMIT_CHECK_DEPTH);
        int reach = cfg.topK() == 0 ? n : Math.min(n, limit + cfg.topK() + REACH_MARGIN);
        Set<String> out = Set.of();
        int from = 0;
        int to = reach;
        while (from < to) {
            out = union(out, counts.atLimit(surface, cfg.exposurePeriodMillis(), cfg.exposureLimit(), ids(ranked.subList(from, to))));
            from = to;
            to = Math.min(n, reach + out.size()); // as many more as were found at the limit
        }
        return out;
    }

    private static List<String> ids(List<Candidate> candidates) {
        List<String> out = new ArrayList<>(candidates.size());
        for (Candidate c : candidates) out.add(c.id());
        return out;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        if (b.isEmpty()) return a;
        if (a.isEmpty()) return b;
        Set<String> out = new HashSet<>(a);
        out.addAll(b);
        return out;
    }

    /** Exposure share of an item on this surface (for metrics and explain). */
    public double exposure(String itemId) {
        return state.exposure.share(itemId);
    }
}
