package io.ranker.explore;

import io.ranker.core.Exploration;
import io.ranker.core.CapConstraint;
import io.ranker.core.Candidate;
import io.ranker.core.Placement;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ExplorerSafetyTest {
    private final List<Candidate> ranked = Fixtures.candidates(30, "A", "B", "C", "D");

    @Test
    void sameSeedReproducesTheListAndItsPropensities() {
        var explorer = ExplorerFactory.create(new ExplorerConfig("plackett-luce", 0.5, 0.7, 10, 0, 1, 1.0, 10_000,
                500, 12, true));
        Placement placement = new Placement(Map.of(4, "c20"), List.of(new CapConstraint("cap", "brand", 2, 8)));
        Set<List<String>> distinct = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            long seed = SeedDerivation.seedFor("imp-" + i);
            Exploration a = explorer.explore(ranked, placement, 8, seed);
            Exploration b = explorer.explore(ranked, placement, 8, SeedDerivation.seedFor("imp-" + i));
            assertThat(Fixtures.ids(b.shown())).isEqualTo(Fixtures.ids(a.shown()));
            assertThat(b.propensity()).containsExactly(a.propensity());
            assertThat(b.choiceProb()).containsExactly(a.choiceProb());
            assertThat(b.mcStdError()).isEqualTo(a.mcStdError());
            distinct.add(Fixtures.ids(a.shown()));
        }
        assertThat(distinct.size()).as("different seeds give different lists").isGreaterThan(20);
        assertThat(SeedDerivation.seedFor("imp-1")).isNotEqualTo(SeedDerivation.seedFor("imp-2"));
        // the hash is part of the log contract: it must never change
        assertThat(SeedDerivation.seedFor("abc")).isEqualTo(SeedDerivation.mix64(0xe71fa2190541574bL));
    }

    @Test
    void protectedPositionsAndPinsNeverMove() {
        var explorer = new PlackettLuceExplorer(5.0, 0, 2, 300, 12);
        Placement placement = new Placement(Map.of(5, "c25"), List.of());
        for (int i = 0; i < 500; i++) {
            Exploration e = explorer.explore(ranked, placement, 10, i);
            assertThat(e.shown().get(0).id()).isEqualTo("c0");
            assertThat(e.shown().get(1).id()).isEqualTo("c1");
            assertThat(e.shown().get(4).id()).isEqualTo("c25");
            assertThat(e.propensity()[0]).isEqualTo(1.0);
            assertThat(e.propensity()[4]).isEqualTo(1.0);
            assertThat(e.choiceProb()[4]).isEqualTo(1.0);
        }
    }

    @Test
    void capsHoldInEveryExploredList() {
        var explorer = new PlackettLuceExplorer(10.0, 0, 0, 200, 12); // hot: nearly uniform, caps matter
        Placement placement = new Placement(Map.of(), List.of(new CapConstraint("cap", "brand", 1, 4)));
        for (int i = 0; i < 2000; i++) {
            Exploration e = explorer.explore(ranked, placement, 8, i);
            List<Object> brands = e.shown().subList(0, 4).stream().map(c -> c.item().attribute("brand")).toList();
            assertThat(new HashSet<>(brands)).hasSize(4);
        }
    }

    @Test
    void killSwitchAndSurfaceFlagServeTheDeterministicList() {
        KillSwitch kill = new KillSwitch();
        var surface = new SurfaceExplorer(ExplorerConfig.defaults("plackett-luce").withEpsilon(1.0), kill);
        List<String> det = Fixtures.ids(NoExplorer.INSTANCE.explore(ranked, Placement.NONE, 10, 0).shown());
        boolean anyDifferent = false;
        for (int i = 0; i < 50; i++) {
            anyDifferent |= !Fixtures.ids(surface.explore(ranked, Placement.NONE, 10, i).shown()).equals(det);
        }
        assertThat(anyDifferent).isTrue();
        kill.engage();
        for (int i = 0; i < 50; i++) {
            Exploration e = surface.explore(ranked, Placement.NONE, 10, i);
            assertThat(Fixtures.ids(e.shown())).isEqualTo(det);
            assertThat(e.propensity()).containsOnly(1.0);
        }
        assertThat(surface.name()).isEqualTo("none(kill-switch)");
        kill.release();
        surface.reconfigure(surface.config().withEnabled(false)); // hot reload of the surface flag
        for (int i = 0; i < 50; i++) {
            assertThat(Fixtures.ids(surface.explore(ranked, Placement.NONE, 10, i).shown())).isEqualTo(det);
        }
        surface.reconfigure(surface.config().withEnabled(true));
        assertThat(surface.decide(ranked, Placement.NONE, 10, 7).explorer()).startsWith("plackett-luce");
    }

    @Test
    void overExposedItemsAreNotExploredIntoTheList() {
        // c12 is over-exposed; it is outside the deterministic top 5, so it must never be explored in,
        // while c1 (over-exposed too, but in the deterministic list) stays eligible
        var explorer = new PlackettLuceExplorer(50.0, 0, 0, 200, 12);
        Set<String> blocked = Set.of("c12", "c1");
        boolean c1Moved = false;
        for (int i = 0; i < 3000; i++) {
            Exploration e = explorer.explore(ranked, Placement.NONE, 5, i, blocked);
            assertThat(Fixtures.ids(e.shown())).doesNotContain("c12");
            int at = Fixtures.ids(e.shown()).indexOf("c1");
            c1Moved |= at != 1;
        }
        assertThat(c1Moved).isTrue();
        // and the logged propensities reflect that: pi(c12 anywhere) = 0
        PositionMarginals m = explorer.marginals(ranked, Placement.NONE, 5, 1L, blocked);
        assertThat(m.inList("c12")).isZero();
        assertThat(m.inList("c13")).isPositive();
    }

    @Test
    void surfaceCapsExposureFromItsOwnWindow() {
        var cfg = new ExplorerConfig("plackett-luce", 1.0, 50.0, 10, 0, 0, 0.5, 200, 200, 12, true);
        var surface = new SurfaceExplorer(cfg, new KillSwitch());
        // warm the window: c0..c4 shown every time by a deterministic surface sharing nothing; then check shares
        for (int i = 0; i < 300; i++) surface.decide(ranked, Placement.NONE, 5, i);
        // with T=50 every candidate is nearly equally likely: no one exceeds half the impressions
        assertThat(surface.exposure("c0")).isLessThan(0.5);
        double before = surface.exposure("c0");
        for (int i = 0; i < 50; i++) surface.decide(ranked, Placement.NONE, 5, i, false); // previews
        assertThat(surface.exposure("c0")).isEqualTo(before);
        ExposureTracker t = new ExposureTracker(100);
        for (int i = 0; i < 100; i++) t.record(ranked.subList(0, 2));
        for (int i = 0; i < 100; i++) t.record(ranked.subList(2, 4)); // rolls c0, c1 out of the window
        assertThat(t.share("c2")).isGreaterThan(0.85);
        assertThat(t.share("c0")).isLessThan(0.15);
        assertThat(t.overExposed(ranked, 0.5)).containsExactlyInAnyOrder("c2", "c3");
        assertThat(t.overExposed(ranked, 1.0)).isEmpty();
    }

    @Test
    void fewerCandidatesThanTheLimitAndEmptyInput() {
        var explorer = new MixtureExplorer(0.5, new PlackettLuceExplorer(1.0, 0));
        List<Candidate> three = ranked.subList(0, 3);
        for (int i = 0; i < 100; i++) {
            Exploration e = explorer.explore(three, Placement.NONE, 10, i);
            assertThat(e.shown()).hasSize(3);
        }
        Exploration empty = explorer.explore(List.of(), Placement.NONE, 10, 1);
        assertThat(empty.shown()).isEmpty();
        // a pin whose candidate was filtered out is ignored
        Exploration e = NoExplorer.INSTANCE.explore(three, new Placement(Map.of(1, "gone"), List.of()), 10, 1);
        assertThat(Fixtures.ids(e.shown())).containsExactly("c0", "c1", "c2");
    }
}
