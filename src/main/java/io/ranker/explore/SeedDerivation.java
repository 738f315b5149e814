package io.ranker.explore;

import java.nio.charset.StandardCharsets;

/**
 * Seeds derived from the impression id, so that replaying an impression reproduces its list exactly.
 * The hash is fixed (FNV-1a 64 over UTF-8, then the SplitMix64 finalizer): it must never change, or
 * logged impressions could no longer be replayed.
 */
public final class SeedDerivation {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    /** Separates the Monte Carlo stream from the sampling stream of the same request. */
    private static final long MONTE_CARLO_STREAM = 0x6a09e667f3bcc909L;

    private SeedDerivation() {
    }

    /** The 64-bit seed of one impression. */
    public static long seedFor(String impressionId) {
        long h = FNV_OFFSET;
        for (byte b : impressionId.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= FNV_PRIME;
        }
        return mix64(h);
    }

    /** Seed of the Monte Carlo stream that estimates propensities for the request with {@code seed}. */
    public static long monteCarloSeed(long seed) {
        return mix64(seed ^ MONTE_CARLO_STREAM);
    }

    /** SplitMix64 finalizer: a bijection that spreads every input bit over the output. */
    public static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
