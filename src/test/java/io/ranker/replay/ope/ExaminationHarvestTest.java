package io.ranker.replay.ope;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The harvest against a known truth, in a world shaped like the shipped feed: position 1 protected (always the
 * logging policy's top item), position 3 a slot (always a sponsored item), the other positions drawn at random on
 * a fraction of requests (a mixture), and a position-based click model exam(k) = k^-eta.
 */
class ExaminationHarvestTest {
    static final int POSITIONS = 8, POOL = 10;
    static final double EPSILON = 0.25;

    /** One request: the deterministic list is items 0..; top item "t", sponsored "s", pool items "p0".."p9". */
    private static void serve(ExaminationHarvest h, SplittableRandom r, double eta, double[] relevance) {
        boolean explored = r.nextDouble() < EPSILON;
        List<String> shown = new ArrayList<>();
        List<Integer> free = new ArrayList<>();
        for (int k = 1; k <= POSITIONS; k++) if (k != 1 && k != 3) free.add(k);
        // explore branch: a uniformly random injection of pool items into the free positions (P = 1 / POOL each)
        int[] perm = new int[POOL];
        for (int i = 0; i < POOL; i++) perm[i] = i;
        if (explored) {
            for (int i = 0; i < free.size(); i++) {
                int j = i + r.nextInt(POOL - i);
                int t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
            }
        }
        int f = 0;
        for (int k = 1; k <= POSITIONS; k++) {
            if (k == 1) shown.add("t");
            else if (k == 3) shown.add("s");
            else shown.add("p" + perm[f++]);
        }
        boolean[] clicked = new boolean[POSITIONS];
        for (int k = 1; k <= POSITIONS; k++) {
            String id = shown.get(k - 1);
            double rel = id.equals("t") ? 0.5 : id.equals("s") ? 0.2 : relevance[Integer.parseInt(id.substring(1))];
            clicked[k - 1] = r.nextDouble() < Math.pow(k, -eta) * rel;
        }
        ExaminationHarvest.LoggingDistribution explore = (id, k) -> {
            if (k == 1) return id.equals("t") ? 1 : 0;
            if (k == 3) return id.equals("s") ? 1 : 0;
            return id.startsWith("p") && k <= POSITIONS ? 1.0 / POOL : 0;
        };
        h.add(shown, clicked, explore, explored);
    }

    @Test
    void heldPositionsAreNotIdentifiedAndTheRestIsCoveredByItsIntervals() {
        int seeds = 40, covered = 0, cells = 0, etaCovered = 0;
        for (int seed = 0; seed < seeds; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            double[] relevance = new double[POOL];
            for (int i = 0; i < POOL; i++) relevance[i] = 0.1 + 0.6 * r.nextDouble();
            ExaminationHarvest h = new ExaminationHarvest(200, seed, POSITIONS);
            for (int n = 0; n < 20_000; n++) serve(h, r, 1.0, relevance);
            ExaminationCurve c = h.curve();
            assertThat(c.exploredShare()).isBetween(EPSILON - 0.02, EPSILON + 0.02);
            assertThat(c.identified()[0]).as("protected position 1").isFalse();
            assertThat(c.identified()[2]).as("slot at 3").isFalse();
            assertThat(c.reference()).isEqualTo(2);
            for (int k = 1; k <= POSITIONS; k++) {
                if (k == 1 || k == 3 || k == c.reference()) continue;
                if (!c.identified()[k - 1]) continue;
                double truth = Math.pow((double) k / c.reference(), -1.0);
                cells++;
                if (c.lo()[k - 1] <= truth && truth <= c.hi()[k - 1]) covered++;
            }
            if (c.etaLo() <= 1.0 && 1.0 <= c.etaHi()) etaCovered++;
        }
        assertThat(cells).isGreaterThan(seeds * 4);
        assertThat((double) covered / cells).as("coverage of the per-position intervals").isGreaterThanOrEqualTo(0.88);
        assertThat((double) etaCovered / seeds).as("coverage of the power law's exponent").isGreaterThanOrEqualTo(0.85);
    }

    @Test
    void withoutExplorationNothingIsIdentified() {
        ExaminationHarvest h = new ExaminationHarvest(50, 1, 5);
        for (int n = 0; n < 1000; n++) {
            h.add(List.of("a", "b", "c", "d", "e"), new boolean[]{true, true, false, false, false}, null, false);
        }
        ExaminationCurve c = h.curve();
        assertThat(c.reference()).isEqualTo(-1);
        assertThat(c.exploredShare()).isEqualTo(0.0);
        assertThat(c.relativeToFirst(3)).isEqualTo(1.0);
    }

    @Test
    void relativeToFirstExtrapolatesAProtectedFirstPositionWithThePowerLaw() {
        double[] ratio = {Double.NaN, 1.0, Double.NaN, 0.5};
        boolean[] identified = {false, true, false, true};
        ExaminationCurve c = new ExaminationCurve(2, ratio, ratio, ratio, identified, 1.0, 0.9, 1.1, 0.2,
                new double[4], 100, 4);
        assertThat(c.relativeToFirst(1)).isEqualTo(1.0);
        assertThat(c.relativeToFirst(2)).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(c.relativeToFirst(3)).isCloseTo(1.0 / 3, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(c.relativeToFirst(4)).isCloseTo(0.25, org.assertj.core.data.Offset.offset(1e-12));
    }
}
