package io.ranker.explore;

import io.ranker.core.Exploration;
import io.ranker.core.CapConstraint;
import io.ranker.core.Candidate;
import io.ranker.core.Placement;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Exact, dynamic-programming and Monte Carlo propensities against each other and an independent enumeration. */
class PropensityAccuracyTest {

    @Test
    void fullMarginalMatrixMatchesEnumerationForMixtureWithPinsAndCaps() {
        List<Candidate> ranked = Fixtures.candidates(9, "A", "B", "A", "A", "C", "B");
        Map<Integer, String> pins = Map.of(2, "c8");
        Placement placement = new Placement(pins, List.of(new CapConstraint("cap", "brand", 1, 5)));
        ExplorerConfig cfg = new ExplorerConfig("plackett-luce", 0.3, 0.6, 10, 0, 1, 1.0, 10_000, 2000, 12, true);
        PositionMarginals m = PolicyPropensities.of(cfg, ranked, placement, 6, 99L);
        var ref = new ReferenceEnumeration(ranked, pins, "brand", 1, 5, 6, 1, Integer.MAX_VALUE, 0.6, false);
        assertThat(m.exact()).isTrue();
        for (int p = 1; p <= 6; p++) {
            double row = 0;
            for (Candidate c : ranked) {
                assertThat(m.propensity(c.id(), p)).as("%s@%d", c.id(), p).isCloseTo(ref.marginal(c.id(), p, 0.3), within(1e-12));
                row += m.propensity(c.id(), p);
            }
            assertThat(row).isCloseTo(1.0, within(1e-12));
        }
        // pi_e of a single pair, as replay asks for it
        assertThat(PolicyPropensities.of(cfg, ranked, placement, 6, 99L, "c8", 2)).isEqualTo(1.0);
    }

    @Test
    void monteCarloAgreesWithExactDynamicProgrammingOnALargerPool() {
        List<Candidate> ranked = Fixtures.candidates(16, "A", "B", "C", "A", "D");
        Placement placement = new Placement(Map.of(3, "c15"), List.of(new CapConstraint("cap", "brand", 2, 6)));
        var exact = new PlackettLuceExplorer(0.4, 0, 0, 1, 16);       // 2^15 states: exact
        var mc = new PlackettLuceExplorer(0.4, 0, 0, 4000, 0);        // same policy, Monte Carlo
        PositionMarginals truth = exact.marginals(ranked, placement, 8, 5L, java.util.Set.of());
        assertThat(truth.exact()).isTrue();
        // the Monte Carlo estimator behind logged propensities
        int checked = 0;
        for (int s = 0; s < 40; s++) {
            Exploration e = mc.explore(ranked, placement, 8, s);
            assertThat(e.mcSamples()).isEqualTo(4000);
            Exploration x = exact.explore(ranked, placement, 8, s);
            assertThat(Fixtures.ids(x.shown())).as("same policy, same seed, same list").isEqualTo(Fixtures.ids(e.shown()));
            for (int p = 1; p <= 8; p++) {
                double t = truth.propensity(e.shown().get(p - 1).id(), p);
                assertThat(x.propensity()[p - 1]).isCloseTo(t, within(1e-12));
                assertThat(e.propensity()[p - 1]).isCloseTo(t, within(5 * e.mcStdError() + 1e-12));
                checked++;
            }
        }
        assertThat(checked).isEqualTo(320);
        // the full-matrix estimator behind pi_e
        PositionMarginals est = mc.marginals(ranked, placement, 8, 5L, java.util.Set.of());
        assertThat(est.exact()).isFalse();
        for (int p = 1; p <= 8; p++) {
            for (Candidate c : ranked) {
                assertThat(est.propensity(c.id(), p)).as("%s@%d", c.id(), p)
                        .isCloseTo(truth.propensity(c.id(), p), within(5 * est.maxStdError() + 1e-12));
            }
        }
    }

    @Test
    void caplessMonteCarloAgreesWithExactDynamicProgrammingFromFlatToPeaked() {
        List<Candidate> ranked = Fixtures.candidates(15);
        // T = 0.05 puts nearly all weight on the top candidates: exercises the scan below a quarter of the weight
        for (double temperature : new double[]{3.0, 0.5, 0.05}) {
            var exact = new PlackettLuceExplorer(temperature, 0, 1, 1, 16);
            var mc = new PlackettLuceExplorer(temperature, 0, 1, 3000, 0);
            PositionMarginals truth = exact.marginals(ranked, Placement.NONE, 9, 5L, java.util.Set.of());
            for (int s = 0; s < 30; s++) {
                Exploration e = mc.explore(ranked, Placement.NONE, 9, s);
                assertThat(e.mcSamples()).isEqualTo(3000);
                for (int p = 1; p <= 9; p++) {
                    double t = truth.propensity(e.shown().get(p - 1).id(), p);
                    assertThat(e.propensity()[p - 1]).as("T=%s %s@%d", temperature, e.shown().get(p - 1).id(), p)
                            .isCloseTo(t, within(5 * e.mcStdError() + 1e-12));
                }
            }
        }
    }

    @Test
    void rareShownItemsGetAPositiveRefinedEstimate() {
        // T = 0.02: each candidate outweighs the next ~5000 to 1, so lists off the deterministic order are rare
        List<Candidate> ranked = Fixtures.candidates(20);
        var mc = new PlackettLuceExplorer(0.02, 0, 0, 500, 0);
        var exact = new PlackettLuceExplorer(0.02, 0, 0, 1, 20);
        PositionMarginals truth = exact.marginals(ranked, Placement.NONE, 4, 1L, java.util.Set.of());
        int rare = 0;
        for (int s = 0; s < 40_000; s++) {
            Exploration e = mc.explore(ranked, Placement.NONE, 4, s);
            for (int p = 2; p <= 4; p++) {
                double t = truth.propensity(e.shown().get(p - 1).id(), p);
                if (t > 0.001) continue;
                rare++;
                assertThat(e.propensity()[p - 1]).isPositive();
                // relative slack: histories rarer than 1/mcSamples are missing from the sample, so its
                // standard error cannot see them; they shift this near-deterministic estimate by ~t * 2e-4
                assertThat(e.propensity()[p - 1]).isCloseTo(t, within(5 * e.mcStdError() + 1e-3 * t));
            }
        }
        assertThat(rare).as("the scenario must produce rare draws").isPositive();
    }

    @Test
    void firstDrawnPositionIsTheSoftmaxExactly() {
        List<Candidate> ranked = Fixtures.candidates(40);
        var explorer = new PlackettLuceExplorer(0.9, 0, 0, 100, 12);
        double z = 0;
        Map<String, Double> w = new HashMap<>();
        for (Candidate c : ranked) {
            double x = Math.exp(c.score() / 0.9);
            w.put(c.id(), x);
            z += x;
        }
        for (int s = 0; s < 200; s++) {
            Exploration e = explorer.explore(ranked, Placement.NONE, 5, s);
            String first = e.shown().get(0).id();
            assertThat(e.propensity()[0]).isCloseTo(w.get(first) / z, within(1e-12));
            assertThat(e.choiceProb()[0]).isCloseTo(w.get(first) / z, within(1e-12));
        }
    }
}
