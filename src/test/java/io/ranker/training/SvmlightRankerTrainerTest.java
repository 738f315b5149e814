package io.ranker.training;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class SvmlightRankerTrainerTest {

    /** Queries of 8 documents whose label is a noisy step function of feature 0; feature 1 is noise. */
    private static TrainingSet synthetic(int queries, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int per = 8, rows = queries * per, cols = 2;
        float[] x = new float[rows * cols];
        float[] y = new float[rows];
        int[] groups = new int[queries];
        for (int q = 0; q < queries; q++) {
            groups[q] = per;
            for (int i = 0; i < per; i++) {
                int r = q * per + i;
                x[r * cols] = (float) rnd.nextDouble();
                x[r * cols + 1] = (float) rnd.nextDouble();
                y[r] = (float) Math.min(4, Math.floor(x[r * cols] * 5));
            }
        }
        return new TrainingSet(java.util.List.of("relevant", "noise"), x, y, groups, null);
    }

    @Test
    void learnsTheRelevantFeatureAndBeatsARandomOrder() throws Exception {
        TrainingSet train = synthetic(200, 1);
        TrainingSet test = synthetic(50, 2);
        SvmlightRankerTrainer.Trained trained = SvmlightRankerTrainer.train(train, test,
                new SvmlightRankerTrainer.Params(30, 0.3, 3, 1.0, 1.0, 1.0, 1.0, 1, 7));
        Map<String, Double> ndcg = trained.testNdcg();
        assertThat(ndcg).containsOnlyKeys("ndcg@1", "ndcg@3", "ndcg@5", "ndcg@10");
        assertThat(ndcg.get("ndcg@3")).isGreaterThan(0.95);
        // the noise feature alone ranks far worse
        float[] noise = new float[test.rowCount()];
        for (int r = 0; r < test.rowCount(); r++) {
            noise[r] = test.rows()[r * 2 + 1];
        }
        assertThat(SvmlightRankerTrainer.ndcgReport(test, noise).get("ndcg@3")).isLessThan(0.8);
        trained.booster().dispose();
    }
}
