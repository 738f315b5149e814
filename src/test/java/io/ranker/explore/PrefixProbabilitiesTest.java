package io.ranker.explore;

import io.ranker.core.Explorer;
import io.ranker.core.Candidate;
import io.ranker.core.CapConstraint;
import io.ranker.core.Placement;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The list-level prefix probabilities agree with the explorer's own sampling and marginals. */
class PrefixProbabilitiesTest {

    private static void check(ExplorerConfig cfg, Placement placement) {
        List<Candidate> ranked = Fixtures.candidates(8, "a", "a", "b", "c");
        int limit = 4;
        Explorer explorer = ExplorerFactory.create(cfg);
        PositionMarginals marginals = PolicyPropensities.of(cfg, ranked, placement, limit, 1L);
        // empirical prefix frequencies over many seeds
        Map<List<String>, Integer> counts = new HashMap<>();
        int n = 40_000;
        List<List<String>> lists = new ArrayList<>();
        for (int s = 0; s < n; s++) {
            List<String> shown = Fixtures.ids(explorer.explore(ranked, placement, limit, s * 7919L + 3).shown());
            lists.add(shown);
            for (int k = 1; k <= shown.size(); k++) counts.merge(shown.subList(0, k), 1, Integer::sum);
        }
        for (int s = 0; s < 50; s++) {
            List<String> shown = lists.get(s);
            double[] p = PolicyPropensities.prefixProbabilities(cfg, ranked, placement, limit, shown);
            // length-1 prefix = marginal at position 1 (exact)
            assertThat(p[0]).isCloseTo(marginals.propensity(shown.get(0), 1), within(1e-9));
            for (int k = 1; k <= shown.size(); k++) {
                double freq = counts.get(shown.subList(0, k)) / (double) n;
                double se = Math.sqrt(p[k - 1] * (1 - p[k - 1]) / n);
                assertThat(freq).as("prefix " + shown.subList(0, k)).isCloseTo(p[k - 1], within(5 * se + 1e-4));
                if (k > 1) assertThat(p[k - 1]).isLessThanOrEqualTo(p[k - 2] + 1e-12);
            }
        }
        // a prefix the policy cannot produce has probability 0
        List<String> impossible = List.of("c7", "c6", "c5", "c4");
        double[] zero = PolicyPropensities.prefixProbabilities(cfg, ranked, placement, limit, impossible);
        if (cfg.protectedPositions() > 0) assertThat(zero[0]).isZero();
    }

    @Test
    void plackettLuceMixtureWithProtectedTopAndCap() {
        ExplorerConfig cfg = ExplorerConfigParser.parse(Map.of("type", "plackett-luce", "epsilon", 0.4, "top-k", 6,
                "protected-positions", 1), "/e");
        check(cfg, new Placement(Map.of(), List.of(new CapConstraint("cap", "brand", 1, 4))));
    }

    @Test
    void shuffleTopNAndDeterministic() {
        check(ExplorerConfigParser.parse(Map.of("type", "shuffle-top-n", "top-n", 3, "epsilon", 1.0), "/e"), Placement.NONE);
        check(ExplorerConfig.DISABLED, Placement.NONE);
    }
}
