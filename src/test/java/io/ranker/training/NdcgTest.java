package io.ranker.training;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class NdcgTest {
    // labels 3,2,0,1 scored so the shown order is labels 2,0,1,3: gains 3,0,1,7
    private static final float[] LABELS = {3, 2, 0, 1};
    private static final float[] SCORES = {0.1f, 0.4f, 0.3f, 0.2f};

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    @Test
    void handComputedCutoffs() {
        double idcg1 = 7;
        double idcg2 = 7 + 3 / log2(3);
        double idcg4 = 7 + 3 / log2(3) + 1 / log2(4);
        assertThat(Ndcg.at(1, LABELS, SCORES, 0, 4)).isCloseTo(3 / idcg1, within(1e-12));
        assertThat(Ndcg.at(2, LABELS, SCORES, 0, 4)).isCloseTo(3 / idcg2, within(1e-12));
        assertThat(Ndcg.at(4, LABELS, SCORES, 0, 4)).isCloseTo((3 + 0 + 1 / log2(4) + 7 / log2(5)) / idcg4,
                within(1e-12));
        assertThat(Ndcg.at(4, LABELS, SCORES, 0, 4)).isCloseTo(0.693589, within(1e-6));
        // a cutoff beyond the list length is the full list
        assertThat(Ndcg.at(10, LABELS, SCORES, 0, 4)).isEqualTo(Ndcg.at(4, LABELS, SCORES, 0, 4));
    }

    @Test
    void perfectOrderIsOneAndQueryWithoutRelevantDocumentsCountsAsOne() {
        assertThat(Ndcg.at(3, LABELS, new float[]{4, 3, 1, 2}, 0, 4)).isCloseTo(1.0, within(1e-12));
        assertThat(Ndcg.at(3, new float[]{0, 0, 0}, new float[]{1, 2, 3}, 0, 3)).isEqualTo(1.0);
    }

    @Test
    void tiesKeepInputOrder() {
        assertThat(Ndcg.at(1, new float[]{0, 1}, new float[]{0.5f, 0.5f}, 0, 2)).isEqualTo(0.0);
        assertThat(Ndcg.at(1, new float[]{1, 0}, new float[]{0.5f, 0.5f}, 0, 2)).isEqualTo(1.0);
    }

    @Test
    void meanOverGroupsUsesEachGroupsSlice() {
        float[] labels = {3, 2, 0, 1, 0, 0, 1};
        float[] scores = {0.1f, 0.4f, 0.3f, 0.2f, 5f, 4f, 1f};
        // group 1: 3/7 at k=1; group 2 (0,0,1 scored 5,4,1): 0 at k=1
        assertThat(Ndcg.mean(1, labels, scores, new int[]{4, 3})).isCloseTo((3.0 / 7 + 0) / 2, within(1e-12));
    }
}
