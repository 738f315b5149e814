package io.ranker.explore;

import io.ranker.core.Explorer;
import io.ranker.core.Exploration;
import io.ranker.core.CapConstraint;
import io.ranker.core.Candidate;
import io.ranker.core.Placement;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Draws 100,000 lists per explorer (different seeds) and checks, against an independent enumeration:
 * empirical position frequencies match the logged propensities within binomial bounds (4.5 sigma, plus
 * the Monte Carlo error where the propensity is estimated), logged propensities equal the true marginals,
 * and the sequential choice probabilities multiply to the realized list's probability in the explore branch.
 */
class ExplorerStatisticsTest {
    private static final int DRAWS = 100_000;

    @Test
    void plackettLuceMixtureWithPinProtectedPositionAndCapIsExact() {
        List<Candidate> ranked = Fixtures.candidates(10, "A", "A", "B", "A", "C", "B", "A", "C", "B", "A");
        Map<Integer, String> pins = Map.of(3, "c7");
        Placement placement = new Placement(pins, List.of(new CapConstraint("cap", "brand", 1, 4)));
        double eps = 0.4;
        var explorer = new MixtureExplorer(eps, new PlackettLuceExplorer(0.8, 0, 1, 2000, 12));
        var ref = new ReferenceEnumeration(ranked, pins, "brand", 1, 4, 6, 1, Integer.MAX_VALUE, 0.8, false);
        Stats stats = draw(explorer, ranked, placement, 6, ref, eps, false);
        assertThat(stats.explored).isBetween((int) (DRAWS * eps - 4.5 * Math.sqrt(DRAWS * eps * (1 - eps))),
                (int) (DRAWS * eps + 4.5 * Math.sqrt(DRAWS * eps * (1 - eps))));
        assertThat(stats.mcSamples).isZero();
        // pin and protected position never move
        assertThat(stats.count.get(key("c7", 3))).isEqualTo(DRAWS);
        assertThat(stats.count.get(key(ref.deterministic.get(0), 1))).isEqualTo(DRAWS);
    }

    @Test
    void plackettLuceMonteCarloMixtureWithPinAndCapMatchesEnumeration() {
        List<Candidate> ranked = Fixtures.candidates(20, "A", "B", "A", "C", "A", "B", "D");
        Map<Integer, String> pins = Map.of(2, "c9");
        Placement placement = new Placement(pins, List.of(new CapConstraint("cap", "brand", 2, 5)));
        double eps = 0.5;
        // exactMaxPool 0 forces Monte Carlo for every position after the first drawn one
        var explorer = new MixtureExplorer(eps, new PlackettLuceExplorer(0.5, 0, 0, 200, 0));
        var ref = new ReferenceEnumeration(ranked, pins, "brand", 2, 5, 5, 0, Integer.MAX_VALUE, 0.5, false);
        Stats stats = draw(explorer, ranked, placement, 5, ref, eps, true);
        assertThat(stats.mcSamples).isEqualTo(200);
        assertThat(stats.count.get(key("c9", 2))).isEqualTo(DRAWS);
    }

    @Test
    void shuffleTopNMixtureWithPinProtectedPositionAndBindingCap() {
        List<Candidate> ranked = Fixtures.candidates(12, "A", "B", "C", "A", "B", "C", "A", "A", "B", "C", "A", "B");
        Map<Integer, String> pins = Map.of(5, "c11");
        Placement placement = new Placement(pins, List.of(new CapConstraint("cap", "brand", 2, 6)));
        double eps = 0.5;
        var explorer = new MixtureExplorer(eps, new ShuffleTopNExplorer(8, 1, 2000, 12));
        var ref = new ReferenceEnumeration(ranked, pins, "brand", 2, 6, 10, 1, 8, Double.NaN, true);
        Stats stats = draw(explorer, ranked, placement, 10, ref, eps, false);
        // positions beyond n stay deterministic
        for (int p = 9; p <= 10; p++) assertThat(stats.count.get(key(ref.deterministic.get(p - 1), p))).isEqualTo(DRAWS);
        // the cap binds: some permutations are excluded, so not every shuffled item reaches every position
        long zeroPairs = 0;
        for (int p : new int[]{2, 3, 4, 6, 7, 8}) {
            for (int q : new int[]{2, 3, 4, 6, 7, 8}) {
                if (ref.marginal(ref.deterministic.get(q - 1), p, 1.0) == 0) zeroPairs++;
            }
        }
        assertThat(zeroPairs).as("cap must constrain the shuffle in this scenario").isPositive();
    }

    @Test
    void shuffleTopNWithoutCapsIsUniformClosedForm() {
        List<Candidate> ranked = Fixtures.candidates(10);
        var explorer = new ShuffleTopNExplorer(5);
        var ref = new ReferenceEnumeration(ranked, Map.of(), null, 0, 0, 8, 0, 5, Double.NaN, true);
        Stats stats = draw(explorer, ranked, Placement.NONE, 8, ref, 1.0, false);
        assertThat(stats.explored).isEqualTo(DRAWS);
        Exploration one = explorer.explore(ranked, Placement.NONE, 8, 42L);
        for (int p = 0; p < 5; p++) assertThat(one.propensity()[p]).isEqualTo(0.2);
        for (int p = 5; p < 8; p++) assertThat(one.propensity()[p]).isEqualTo(1.0);
    }

    @Test
    void noExplorerIsDeterministicAndHonoursPinsAndCaps() {
        List<Candidate> ranked = Fixtures.candidates(8, "A", "A", "A", "B");
        Placement placement = new Placement(Map.of(1, "c5"), List.of(new CapConstraint("cap", "brand", 1, 3)));
        Exploration e = NoExplorer.INSTANCE.explore(ranked, placement, 4, 1L);
        // pin c5 (A) at 1; A is full within top 3, so c3 (B); then A and B are full -> relaxed to c0; c1 past top 3
        assertThat(Fixtures.ids(e.shown())).containsExactly("c5", "c3", "c0", "c1");
        var ref = new ReferenceEnumeration(ranked, Map.of(1, "c5"), "brand", 1, 3, 4, 0, Integer.MAX_VALUE, 1, false);
        assertThat(Fixtures.ids(e.shown())).isEqualTo(ref.deterministic);
        assertThat(e.propensity()).containsOnly(1.0);
        assertThat(e.explored()).isFalse();
    }

    // ------------------------------------------------------------------------------------------------

    static final class Stats {
        final Map<String, Integer> count = new HashMap<>();
        int explored;
        int mcSamples;
    }

    static String key(String id, int position) {
        return id + "@" + position;
    }

    private static void check(boolean ok, String what) {
        if (!ok) throw new AssertionError(what);
    }

    private static Stats draw(Explorer explorer, List<Candidate> ranked, Placement placement, int limit,
                              ReferenceEnumeration ref, double eps, boolean monteCarlo) {
        int nc = ranked.size();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < nc; i++) index.put(ranked.get(i).id(), i);
        double[][] truth = ref.marginals(index, eps);
        int[][] count = new int[limit][nc];
        double[][] sum = new double[limit][nc];
        double[][] sq = new double[limit][nc];
        double sumError = 0, sumSqError = 0;
        Stats stats = new Stats();
        for (int d = 0; d < DRAWS; d++) {
            long seed = SeedDerivation.mix64(d + 1_000_003L * limit);
            Exploration e = explorer.explore(ranked, placement, limit, seed, Set.of());
            List<String> shown = Fixtures.ids(e.shown());
            check(shown.size() == limit, "list length " + shown);
            if (e.explored()) stats.explored++;
            stats.mcSamples = Math.max(stats.mcSamples, e.mcSamples());
            // the choice probabilities multiply to the list's explore-branch probability
            double product = 1;
            for (double c : e.choiceProb()) product *= c;
            double expected = ref.exploreLists.getOrDefault(shown, 0.0);
            check(Math.abs(product - expected) <= 1e-12 + 1e-9 * expected,
                    "list probability of " + shown + ": " + product + " vs " + expected);
            if (e.explored()) check(expected > 0, "explored list outside the support: " + shown);
            else check(shown.equals(ref.deterministic), "unexplored list is not the deterministic one: " + shown);
            for (int p = 1; p <= limit; p++) {
                int c = index.get(shown.get(p - 1));
                double logged = e.propensity()[p - 1];
                double t = truth[p - 1][c];
                if (!monteCarlo) {
                    check(Math.abs(logged - t) <= 1e-9, "propensity " + key(shown.get(p - 1), p) + ": " + logged + " vs " + t);
                } else {
                    // a single estimate stays within a generous multiple of its own reported error
                    check(Math.abs(logged - t) <= 8 * e.mcStdError() + 1e-9,
                            "propensity " + key(shown.get(p - 1), p) + ": " + logged + " vs " + t + " se " + e.mcStdError());
                    sumError += logged - t;
                    sumSqError += (logged - t) * (logged - t);
                }
                count[p - 1][c]++;
                sum[p - 1][c] += logged;
                sq[p - 1][c] += logged * logged;
            }
        }
        // empirical frequencies against the logged propensities (and the true marginals), all pairs
        for (int p = 1; p <= limit; p++) {
            for (int i = 0; i < nc; i++) {
                String k = key(ranked.get(i).id(), p);
                int c = count[p - 1][i];
                stats.count.put(k, c);
                double t = Math.min(1, Math.max(0, truth[p - 1][i]));
                double freq = (double) c / DRAWS;
                double binomial = 4.5 * Math.sqrt(t * (1 - t) / DRAWS) + 1e-12;
                assertThat(freq).as("frequency of %s", k).isCloseTo(t, org.assertj.core.data.Offset.offset(binomial));
                if (c == 0) continue;
                double meanLogged = sum[p - 1][i] / c;
                double sdLogged = Math.sqrt(Math.max(0, sq[p - 1][i] / c - meanLogged * meanLogged));
                double tolerance = binomial + 4.5 * sdLogged / Math.sqrt(c) + 1e-12;
                assertThat(freq).as("frequency vs logged propensity of %s", k)
                        .isCloseTo(meanLogged, org.assertj.core.data.Offset.offset(tolerance));
            }
        }
        if (monteCarlo) {
            // the Monte Carlo estimates are unbiased
            double n = DRAWS * (double) limit;
            double mean = sumError / n;
            double sd = Math.sqrt(Math.max(0, sumSqError / n - mean * mean));
            assertThat(Math.abs(mean)).isLessThanOrEqualTo(4.5 * sd / Math.sqrt(n) + 1e-12);
        }
        return stats;
    }
}
