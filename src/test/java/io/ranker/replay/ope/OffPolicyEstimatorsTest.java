package io.ranker.replay.ope;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Hand-computed cases: two impressions, three slots; every figure below is worked out in the comments. */
class OffPolicyEstimatorsTest {

    // Weights w = target / logging: 0.5, 2, 4. Rewards 1, 1, 0.
    private static List<ImpressionSample> handCase() {
        return List.of(
                new ImpressionSample("a", List.of(
                        new SlotSample(1, 1, 0.5, 0.25, 0.4, 0.3, 0.5, 0.25),
                        new SlotSample(2, 1, 0.25, 0.5, 0.2, 0.1, 0.1, 0.05)), 2.0, 2.0),
                new ImpressionSample("b", List.of(
                        new SlotSample(1, 0, 0.2, 0.8, 0.5, 0.6, 0.2, 0.8)), 1.0, 0.5));
    }

    private static OpeReport run(OpeSettings settings) {
        OffPolicyEstimators ope = new OffPolicyEstimators(settings);
        handCase().forEach(ope::add);
        return ope.report();
    }

    @Test
    void itemPositionEstimatorsMatchHandComputation() {
        OpeReport r = run(OpeSettings.defaults().withSwitchTau(3.0));
        // IPS = (0.5*1 + 2*1 + 4*0) / 3
        assertThat(r.estimates().get("ips").value()).isCloseTo(2.5 / 3, within(1e-12));
        // SNIPS = 2.5 / (0.5 + 2 + 4)
        assertThat(r.estimates().get("snips").value()).isCloseTo(2.5 / 6.5, within(1e-12));
        // DM = (0.3 + 0.1 + 0.6) / 3
        assertThat(r.estimates().get("dm").value()).isCloseTo(1.0 / 3, within(1e-12));
        // DR = [0.3 + 0.5(1-0.4)] + [0.1 + 2(1-0.2)] + [0.6 + 4(0-0.5)] = 0.6 + 1.7 - 1.4 = 0.9, over 3 slots
        assertThat(r.estimates().get("dr").value()).isCloseTo(0.3, within(1e-12));
        // switch-DR, tau = 3: the third slot (w = 4) keeps only its DM term 0.6: (0.6 + 1.7 + 0.6) / 3
        assertThat(r.estimates().get("switch_dr").value()).isCloseTo(2.9 / 3, within(1e-12));
        // RIPS prefix weights 0.25/0.5, 0.05/0.1, 0.8/0.2 = 0.5, 0.5, 4: (0.5 + 0.5 + 0) / 3
        assertThat(r.estimates().get("rips").value()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(r.ess()).isCloseTo(6.5 * 6.5 / (0.25 + 4 + 16), within(1e-12));
        assertThat(r.maxWeight()).isEqualTo(4.0);
        assertThat(r.meanWeight()).isCloseTo(6.5 / 3, within(1e-12));
        assertThat(r.loggedValue()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(r.switchedShare()).isCloseTo(1.0 / 3, within(1e-12));
        // support: 2.5 of 3 target mass units on logged support
        assertThat(r.supportCoverage()).isCloseTo(2.5 / 3, within(1e-12));
        assertThat(r.warnings()).anyMatch(w -> w.startsWith("support coverage 0.833"));
        assertThat(r.impressions()).isEqualTo(2);
        assertThat(r.slots()).isEqualTo(3);
    }

    @Test
    void clippingCapsEveryWeight() {
        OpeReport r = run(OpeSettings.defaults().withClipWeight(1.5));
        // weights 0.5, 1.5, 1.5: IPS = (0.5 + 1.5) / 3; SNIPS = 2 / 3.5
        assertThat(r.estimates().get("ips").value()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(r.estimates().get("snips").value()).isCloseTo(2.0 / 3.5, within(1e-12));
        // DR = [0.3 + 0.5*0.6] + [0.1 + 1.5*0.8] + [0.6 - 1.5*0.5] = 0.6 + 1.3 - 0.15 = 1.75
        assertThat(r.estimates().get("dr").value()).isCloseTo(1.75 / 3, within(1e-12));
        assertThat(r.clippedShare()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(r.maxWeight()).isEqualTo(4.0); // reported unclipped
        assertThat(r.warnings()).anyMatch(w -> w.contains("clipped"));
    }

    @Test
    void switchDrSpansDmToDr() {
        OpeReport tiny = run(OpeSettings.defaults().withSwitchTau(1e-9));
        assertThat(tiny.estimates().get("switch_dr").value()).isCloseTo(tiny.estimates().get("dm").value(),
                within(1e-12));
        OpeReport huge = run(OpeSettings.defaults().withSwitchTau(1e9));
        assertThat(huge.estimates().get("switch_dr").value()).isCloseTo(huge.estimates().get("dr").value(),
                within(1e-12));
    }

    @Test
    void estimatorsWithoutTheirInputsAreAbsent() {
        OffPolicyEstimators ope = new OffPolicyEstimators(OpeSettings.defaults());
        ope.add(ImpressionSample.of("x", List.of(SlotSample.of(1, 1, 0.5, 0.5))));
        OpeReport r = ope.report();
        assertThat(r.estimates()).containsOnlyKeys("ips", "snips");
        assertThat(r.supportCoverage()).isNaN();
    }

    @Test
    void refusesPropensitiesOutsideUnitIntervalNamingTheRecord() {
        for (double bad : new double[]{0.0, -0.1, 1.2, Double.NaN}) {
            OffPolicyEstimators ope = new OffPolicyEstimators(OpeSettings.defaults());
            ope.add(ImpressionSample.of("ok", List.of(SlotSample.of(1, 0, 0.5, 0.5))));
            assertThatThrownBy(() -> ope.add(ImpressionSample.of("imp-7",
                    List.of(SlotSample.of(1, 0, 0.5, 0.5), SlotSample.of(2, 0, bad, 0.5)))))
                    .isInstanceOf(InvalidPropensityException.class)
                    .hasMessageContaining("record 1 (imp-7)")
                    .hasMessageContaining("position 2")
                    .hasMessageContaining("outside (0, 1]")
                    .satisfies(e -> assertThat(((InvalidPropensityException) e).recordIndex()).isEqualTo(1));
        }
        OffPolicyEstimators ope = new OffPolicyEstimators(OpeSettings.defaults());
        assertThatThrownBy(() -> ope.add(ImpressionSample.of("t", List.of(SlotSample.of(1, 0, 0.5, 1.5)))))
                .hasMessageContaining("target propensity 1.5");
    }

    @Test
    void bootstrapIsSeededAndBracketsTheEstimate() {
        OffPolicyEstimators a = new OffPolicyEstimators(OpeSettings.defaults().withSeed(7));
        OffPolicyEstimators b = new OffPolicyEstimators(OpeSettings.defaults().withSeed(7));
        OffPolicyEstimators c = new OffPolicyEstimators(OpeSettings.defaults().withSeed(8));
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(1);
        for (int i = 0; i < 500; i++) {
            ImpressionSample s = ImpressionSample.of("i" + i, List.of(
                    SlotSample.of(1, rnd.nextDouble() < 0.3 ? 1 : 0, 0.5, rnd.nextDouble())));
            a.add(s);
            b.add(s);
            c.add(s);
        }
        Estimate ea = a.report().estimates().get("ips");
        assertThat(b.report().estimates().get("ips")).isEqualTo(ea);
        assertThat(c.report().estimates().get("ips").lo()).isNotEqualTo(ea.lo());
        assertThat(ea.lo()).isLessThan(ea.value());
        assertThat(ea.hi()).isGreaterThan(ea.value());
    }

    @Test
    void poissonTableHasMeanAndVarianceOne() {
        byte[] table = OffPolicyEstimators.POISSON_ONE_TABLE;
        double mean = 0, sq = 0, zeros = 0;
        for (byte k : table) {
            mean += k;
            sq += k * k;
            zeros += k == 0 ? 1 : 0;
        }
        mean /= table.length;
        double var = sq / table.length - mean * mean;
        assertThat(zeros / table.length).isCloseTo(Math.exp(-1), within(2e-5));
        assertThat(mean).isCloseTo(1.0, within(1e-3));
        assertThat(var).isCloseTo(1.0, within(1e-3));
    }

    @Test
    void percentileInterpolatesAndIgnoresNaN() {
        double[] v = {1, 2, 3, 4, Double.NaN};
        assertThat(OffPolicyEstimators.percentile(v, 0.5)).isEqualTo(2.5);
        assertThat(OffPolicyEstimators.percentile(v, 0.0)).isEqualTo(1.0);
        assertThat(OffPolicyEstimators.percentile(v, 1.0)).isEqualTo(4.0);
    }
}
