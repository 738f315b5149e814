package io.ranker.explore;

/**
 * Builds the explorer a configuration describes: the type's explore branch ({@link ExplorerTypes}) in a mixture
 * with the deterministic list. Explorers are immutable and shared by all requests.
 */
public final class ExplorerFactory {
    private ExplorerFactory() {
    }

    /**
     * {@code none}, a disabled config or epsilon 0 give {@link NoExplorer}; epsilon 1 gives the stochastic
     * explorer itself; anything in between a {@link MixtureExplorer} around it. Every one states its full
     * position distribution (for replay's pi_e).
     */
    public static PropensityModel create(ExplorerConfig cfg) {
        if (!cfg.explores()) return NoExplorer.INSTANCE;
        StochasticExplorer explore = sampler(cfg);
        return cfg.epsilon() >= 1.0 ? explore : new MixtureExplorer(cfg.epsilon(), explore);
    }

    /** The same explorer, as a model of its full position distribution (for replay's pi_e). */
    public static PropensityModel propensityModel(ExplorerConfig cfg) {
        return create(cfg);
    }

    /**
     * The explore branch alone, as it runs on the explored share of requests (epsilon, {@code enabled} and
     * the kill switch are the caller's business).
     *
     * @throws IllegalArgumentException for {@code none} or an unknown type
     */
    public static StochasticExplorer sampler(ExplorerConfig cfg) {
        ExplorerType type = ExplorerTypes.named(cfg.type());
        if (type == null) throw new IllegalArgumentException("no explore branch for explorer type " + cfg.type());
        return type.build().apply(cfg);
    }
}
