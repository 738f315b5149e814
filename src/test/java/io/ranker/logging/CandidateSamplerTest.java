package io.ranker.logging;

import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CandidateSamplerTest {
    @Test
    void samplesTheConfiguredShareWithinBinomialBoundsAndDeterministically() {
        for (double rate : new double[]{0.01, 0.1, 0.5}) {
            CandidateSampler s = new CandidateSampler(rate);
            int n = 100_000;
            int hits = 0;
            for (int i = 0; i < n; i++) {
                String id = new UUID(i * 31L + 7, i).toString();
                boolean first = s.sample(id);
                assertThat(s.sample(id)).isEqualTo(first);
                if (first) hits++;
            }
            double sd = Math.sqrt(n * rate * (1 - rate));
            assertThat((double) hits).isBetween(n * rate - 4.5 * sd, n * rate + 4.5 * sd);
        }
        assertThat(new CandidateSampler(0).sample("x")).isFalse();
        assertThat(new CandidateSampler(1).sample("x")).isTrue();
        assertThatThrownBy(() -> new CandidateSampler(1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CandidateSampler(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
}
