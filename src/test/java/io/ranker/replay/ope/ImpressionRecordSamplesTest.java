package io.ranker.replay.ope;

import io.ranker.logging.ImpressionRecord;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ImpressionRecordSamplesTest {

    private static ImpressionRecord record() {
        List<ImpressionRecord.ShownItem> items = List.of(
                new ImpressionRecord.ShownItem("a", 1, 0, 0, 0, 0.5, 0.5, Map.of()),
                new ImpressionRecord.ShownItem("b", 2, 0, 0, 0, 0.25, 0.4, Map.of()));
        return new ImpressionRecord("imp-1", 0L, "feed", "u", null, Map.of(), 1L, Map.of(), null, "pl", true, 0,
                items, null, null, Map.of(), List.of());
    }

    /** Target over candidates a, b, c: position 1 -> a 0.2, b 0.3, c 0.5; position 2 -> a 0.6, b 0.1, c 0.3. */
    private static final ImpressionRecordSamples.TargetDistribution TARGET =
            new ImpressionRecordSamples.TargetDistribution() {
                private final Map<String, double[]> m = Map.of("a", new double[]{0.2, 0.6},
                        "b", new double[]{0.3, 0.1}, "c", new double[]{0.5, 0.3});

                @Override
                public List<String> candidates() {
                    return List.of("a", "b", "c");
                }

                @Override
                public double marginal(String itemId, int position) {
                    return m.get(itemId)[position - 1];
                }

                @Override
                public double prefixProbability(List<String> ids) {
                    return ids.size() == 1 ? 0.2 : 0.2 * 0.25;
                }
            };

    @Test
    void joinsLoggedPropensitiesRewardsAndTheTargetDistribution() {
        ImpressionSample s = ImpressionRecordSamples.from(record(), Map.of("b", 1.0), TARGET,
                (id, pos) -> id.equals("a") ? 0.1 : 0.2, (id, pos) -> !id.equals("c"),
                ImpressionRecordSamples.PLACKETT_LUCE_CHOICES);
        assertThat(s.recordId()).isEqualTo("imp-1");
        SlotSample first = s.slots().get(0), second = s.slots().get(1);
        assertThat(first.reward()).isEqualTo(0.0);
        assertThat(second.reward()).isEqualTo(1.0);
        assertThat(first.loggingPropensity()).isEqualTo(0.5);
        assertThat(first.targetPropensity()).isEqualTo(0.2);
        assertThat(second.targetPropensity()).isEqualTo(0.1);
        // q-hat under the target at position 1: 0.2*0.1 + 0.3*0.2 + 0.5*0.2
        assertThat(first.targetRewardHat()).isCloseTo(0.18, within(1e-12));
        assertThat(second.rewardHat()).isEqualTo(0.2);
        // logging prefix = products of choice probabilities: 0.5, 0.5*0.4
        assertThat(second.loggingPrefixProb()).isCloseTo(0.2, within(1e-12));
        assertThat(second.targetPrefixProb()).isCloseTo(0.05, within(1e-12));
        // support excludes c: mass 2, supported 0.5 + 0.7
        assertThat(s.targetMass()).isCloseTo(2.0, within(1e-12));
        assertThat(s.supportedTargetMass()).isCloseTo(1.2, within(1e-12));

        OffPolicyEstimators ope = new OffPolicyEstimators(OpeSettings.defaults());
        ope.add(s);
        // IPS = (0.4*0 + 0.4*1) / 2 slots
        assertThat(ope.report().estimates().get("ips").value()).isCloseTo(0.2, within(1e-12));
        assertThat(ope.report().supportCoverage()).isCloseTo(0.6, within(1e-12));
    }

    @Test
    void withoutModelSupportOrPrefixOnlyIpsAndSnips() {
        ImpressionSample s = ImpressionRecordSamples.from(record(), Map.of(), TARGET, null, null, null);
        OffPolicyEstimators ope = new OffPolicyEstimators(OpeSettings.defaults());
        ope.add(s);
        assertThat(ope.report().estimates()).containsOnlyKeys("ips", "snips");
        assertThat(ope.report().supportCoverage()).isNaN();
    }
}
