package io.ranker.policy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Ranking objectives output margins, which can be negative: a bury must still lower and a boost still raise. */
class ScoreDirectionTest {
    @Test
    void factorsKeepTheirDirectionForNegativeScores() {
        for (double s : new double[]{-3, -0.5, 0, 0.5, 3}) {
            assertThat(ScoreAdjustment.scale(s, 0.6)).as("bury %s", s).isLessThanOrEqualTo(s);
            assertThat(ScoreAdjustment.scale(s, 1.5)).as("boost %s", s).isGreaterThanOrEqualTo(s);
        }
        assertThat(ScoreAdjustment.scale(-1.0, 0.5)).isEqualTo(-2.0);
        assertThat(ScoreAdjustment.scale(2.0, 0.5)).isEqualTo(1.0);
        assertThat(ScoreAdjustment.scale(-1.0, 0.0)).isFinite().isLessThan(-1.0);
        // order among negatives is preserved by a common factor
        assertThat(ScoreAdjustment.scale(-1.0, 0.6)).isGreaterThan(ScoreAdjustment.scale(-2.0, 0.6));
    }
}
