package io.ranker.explore;

import io.ranker.core.Explorer;

/** Builds the explorer a configuration describes. Explorers are immutable and shared by all requests. */
public final class ExplorerFactory {
    private ExplorerFactory() {
    }

    /**
     * {@code none}, a disabled config or epsilon 0 give {@link NoExplorer}; epsilon 1 gives the stochastic
     * explorer itself; anything in between a {@link MixtureExplorer} around it.
     */
    public static Explorer create(ExplorerConfig cfg) {
        if (!cfg.explores()) return NoExplorer.INSTANCE;
        StochasticExplorer explore = switch (cfg.type()) {
            case ExplorerConfig.PLACKETT_LUCE -> new PlackettLuceExplorer(cfg.temperature(), cfg.topK(),
                    cfg.protectedPositions(), cfg.mcSamples(), cfg.exactMaxPool());
            case ExplorerConfig.SHUFFLE_TOP_N -> new ShuffleTopNExplorer(cfg.topN(), cfg.protectedPositions(),
                    cfg.mcSamples(), cfg.exactMaxPool());
            default -> throw new IllegalArgumentException("unknown explorer type " + cfg.type());
        };
        return cfg.epsilon() >= 1.0 ? explore : new MixtureExplorer(cfg.epsilon(), explore);
    }

    /** The same explorer, as a model of its full position distribution (for replay's pi_e). */
    public static PropensityModel propensityModel(ExplorerConfig cfg) {
        return (PropensityModel) create(cfg);
    }
}
