package io.ranker.explore;

/**
 * The {@code explorer:} section of {@code ranking-config/pipelines/<surface>.yaml}: immutable, validated
 * by {@link ExplorerConfigParser}, turned into an {@link Explorer} by {@link ExplorerFactory}. Reloading a
 * pipeline file yields a new record; {@link SurfaceExplorer#reconfigure} swaps it in atomically.
 *
 * @param type               {@code none}, {@code plackett-luce} or {@code shuffle-top-n}
 * @param epsilon            share of requests served from the explore branch (the rest get the deterministic
 *                           list); 1 always explores, 0 never
 * @param temperature        Plackett-Luce softmax temperature on the policy score (higher: more uniform)
 * @param topN               shuffle-top-n: the top positions whose candidates are permuted
 * @param topK               Plackett-Luce: pool size (the deterministic list's free candidates plus the next
 *                           best in policy order); 0 = every candidate
 * @param protectedPositions the first positions always come from the deterministic list
 * @param exposureCap        an item shown in more than this share of the surface's recent impressions is not
 *                           explored into lists (1 = no cap)
 * @param exposureWindow     number of recent impressions the exposure share is measured over (this replica's)
 * @param exposureLimit      an item shown in this many lists of the surface within the current exposure period is
 *                           not explored into lists (0 = no limit); counted across replicas with the shared store
 * @param exposurePeriodMillis the exposure limit's period: fixed windows aligned on multiples of it since the epoch
 * @param mcSamples          Monte Carlo samples when a propensity has no closed form and the pool is too large
 *                           for exact computation
 * @param exactMaxPool       pools up to this size get exact propensities (subset DP, cost ~2^n * n)
 * @param enabled            kill switch for this surface: false serves the deterministic list
 */
public record ExplorerConfig(String type, double epsilon, double temperature, int topN, int topK,
                             int protectedPositions, double exposureCap, int exposureWindow, int mcSamples,
                             int exactMaxPool, boolean enabled, int exposureLimit, long exposurePeriodMillis) {
    /** The default exposure period: an hour. */
    public static final long DEFAULT_EXPOSURE_PERIOD_MILLIS = 3_600_000L;

    /** Without an exposure limit. */
    public ExplorerConfig(String type, double epsilon, double temperature, int topN, int topK, int protectedPositions,
                          double exposureCap, int exposureWindow, int mcSamples, int exactMaxPool, boolean enabled) {
        this(type, epsilon, temperature, topN, topK, protectedPositions, exposureCap, exposureWindow, mcSamples,
                exactMaxPool, enabled, 0, DEFAULT_EXPOSURE_PERIOD_MILLIS);
    }

    public static final String NONE = "none";
    public static final String PLACKETT_LUCE = "plackett-luce";
    public static final String SHUFFLE_TOP_N = "shuffle-top-n";

    /** No exploration: the default when a pipeline has no {@code explorer:} section. */
    public static final ExplorerConfig DISABLED = defaults(NONE);

    /** Defaults for a type: explore 10% of requests, T = 1, shuffle the top 10, pool of 50, 2,000 MC samples. */
    public static ExplorerConfig defaults(String type) {
        return new ExplorerConfig(type, 0.1, 1.0, 10, 50, 0, 1.0, 10_000, 2000,
                StochasticExplorer.DEFAULT_EXACT_MAX_POOL, true);
    }

    public ExplorerConfig withEpsilon(double e) {
        return new ExplorerConfig(type, e, temperature, topN, topK, protectedPositions, exposureCap,
                exposureWindow, mcSamples, exactMaxPool, enabled, exposureLimit, exposurePeriodMillis);
    }

    public ExplorerConfig withEnabled(boolean on) {
        return new ExplorerConfig(type, epsilon, temperature, topN, topK, protectedPositions, exposureCap,
                exposureWindow, mcSamples, exactMaxPool, on, exposureLimit, exposurePeriodMillis);
    }

    public ExplorerConfig withExposureLimit(int limit, long periodMillis) {
        return new ExplorerConfig(type, epsilon, temperature, topN, topK, protectedPositions, exposureCap,
                exposureWindow, mcSamples, exactMaxPool, enabled, limit, periodMillis);
    }

    /** Whether requests can be served from a stochastic branch at all. */
    public boolean explores() {
        return enabled && !NONE.equals(type) && epsilon > 0;
    }

    public boolean exposureCapped() {
        return exposureCap < 1.0;
    }

    public boolean exposureLimited() {
        return exposureLimit > 0;
    }
}
