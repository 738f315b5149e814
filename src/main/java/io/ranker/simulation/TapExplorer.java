package io.ranker.simulation;

import io.ranker.core.Exploration;
import io.ranker.core.Explorer;
import io.ranker.explore.ExplorerConfig;
import io.ranker.explore.ExplorerFactory;
import io.ranker.core.Candidate;
import io.ranker.core.Placement;

import java.util.List;
import java.util.Set;

/**
 * The simulator's explorer: delegates to the configured explorer (swappable between requests) and keeps what the
 * policy stage handed it for the last request (the policy-ordered candidates and placement). The simulator needs
 * that list to compute any policy's full position distribution, and with it the true value, on the very request
 * the pipeline served. Single-threaded use only (the simulator drives one request at a time).
 */
final class TapExplorer implements Explorer {
    /** What the explorer received for one request. */
    record Call(List<Candidate> ranked, Placement placement, int limit, long seed) {
    }

    private ExplorerConfig config;
    private Explorer delegate;
    private Call last;

    TapExplorer(ExplorerConfig config) {
        use(config);
    }

    void use(ExplorerConfig cfg) {
        this.config = cfg;
        this.delegate = ExplorerFactory.create(cfg);
    }

    ExplorerConfig config() {
        return config;
    }

    Call last() {
        return last;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public Exploration explore(List<Candidate> ranked, Placement placement, int limit, long seed) {
        return explore(ranked, placement, limit, seed, Set.of());
    }

    @Override
    public Exploration explore(List<Candidate> ranked, Placement placement, int limit, long seed, Set<String> notExplorable) {
        last = new Call(List.copyOf(ranked), placement, limit, seed);
        Explorer current = delegate;
        return current.explore(ranked, placement, limit, seed, notExplorable).withExplorer(current.name());
    }
}
