package io.ranker.training;

import io.ranker.demo.DemoModelTrainer;
import io.ranker.core.Candidate;
import io.ranker.scoring.ModelRegistry;
import io.ranker.scoring.XgboostScorer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class XgboostTrainerTest {
    static final List<String> FEATURES = List.of("item.quality", "item.noise", "query.match");

    /** Ranking data with known truth: relevance grows with quality and match; noise is irrelevant. */
    static TrainingSet rankingData(long seed) {
        Random r = new Random(seed);
        int groups = 200, perGroup = 10;
        List<float[]> rows = new ArrayList<>();
        float[] labels = new float[groups * perGroup];
        int[] sizes = new int[groups];
        for (int g = 0; g < groups; g++) {
            sizes[g] = perGroup;
            for (int i = 0; i < perGroup; i++) {
                float q = r.nextFloat(), n = r.nextFloat(), m = r.nextFloat();
                rows.add(new float[]{q, n, m});
                double rel = q + m + 0.2 * r.nextGaussian();
                labels[g * perGroup + i] = rel > 1.4 ? 2 : rel > 0.9 ? 1 : 0;
            }
        }
        return TrainingSet.of(FEATURES, rows, labels, sizes, null);
    }

    @Test
    void trainingRoundByRoundForProgressGivesTheSameModelBytes() throws Exception {
        sameBytes(Map.of("objective", "rank:ndcg", "eta", 0.3, "max_depth", 4));
        // row subsampling draws from the random generator every round: stepping must not reseed it
        sameBytes(Map.of("objective", "rank:ndcg", "eta", 0.3, "max_depth", 4, "subsample", 0.7, "seed", 7));
    }

    private static void sameBytes(Map<String, Object> params) throws Exception {
        TrainingSet data = rankingData(3);
        XgboostTrainer trainer = new XgboostTrainer();
        var whole = trainer.train(data, params, 25);
        List<Integer> rounds = new java.util.ArrayList<>();
        var stepped = trainer.train(data, params, 25, rounds::add);
        try {
            assertThat(rounds).hasSize(25).startsWith(1, 2).endsWith(25);
            assertThat(stepped.toByteArray("ubj")).isEqualTo(whole.toByteArray("ubj"));
        } finally {
            whole.dispose();
            stepped.dispose();
        }
    }

    @Test
    void demoTrainerIsDeterministicAndRegistersANonActiveRankingModel(@TempDir Path dir) throws Exception {
        ModelRegistry registry = new ModelRegistry(dir.resolve("models"), List.of("user.age", "item.quality", "query.match", "item.noise"));
        DemoModelTrainer demo = new DemoModelTrainer(registry);
        ModelRegistry.RegisteredModel first = demo.train(() -> rankingData(42));
        ModelRegistry.RegisteredModel second = demo.train(() -> rankingData(42));
        assertThat(second.version()).isEqualTo(first.version());
        assertThat(first.manifest().objective()).isEqualTo("rank:ndcg");
        assertThat(first.manifest().features()).isEqualTo(FEATURES);
        assertThat(first.manifest().training()).containsEntry("groups", 200).containsEntry("rounds", DemoModelTrainer.ROUNDS);
        assertThat(Files.exists(dir.resolve("models").resolve(first.version()).resolve("model.ubj"))).isTrue();

        // the model ranks by the known truth: a high-quality, well-matching item beats a poor one
        XgboostScorer scorer = registry.scorer(first.version());
        Candidate good = new Candidate("good", null);
        good.setFeatures(new float[]{30f, 0.9f, 0.9f, 0.1f}); // schema order: user.age, item.quality, query.match, item.noise
        Candidate poor = new Candidate("poor", null);
        poor.setFeatures(new float[]{30f, 0.1f, 0.2f, 0.9f});
        double[] s = scorer.score(null, List.of(good, poor));
        assertThat(s[0]).isGreaterThan(s[1]);
    }

    @Test
    void weightedUnbiasedLambdaRankAndBinaryObjectivesTrain(@TempDir Path dir) throws Exception {
        ModelRegistry registry = new ModelRegistry(dir.resolve("models"), FEATURES);
        TrainingSet base = rankingData(7);
        float[] w = new float[base.groupSizes().length];
        java.util.Arrays.fill(w, 1.5f);
        TrainingSet weighted = new TrainingSet(base.featureNames(), base.rows(), base.labels(), base.groupSizes(), w);
        XgboostTrainer t = new XgboostTrainer();
        String unbiased = t.trainAndRegister(weighted, Map.of("objective", "rank:ndcg", "lambdarank_unbiased", true), 20,
                registry, Map.of("note", "test")).version();
        assertThat(registry.list()).extracting(ModelRegistry.RegisteredModel::version).contains(unbiased);
        float[] binary = base.labels().clone();
        for (int i = 0; i < binary.length; i++) binary[i] = binary[i] > 0 ? 1 : 0;
        TrainingSet bin = new TrainingSet(FEATURES, base.rows(), binary, null, null);
        assertThat(t.trainAndRegister(bin, Map.of("objective", "binary:logistic"), 20, registry, null).manifest().objective())
                .isEqualTo("binary:logistic");
        assertThatThrownBy(() -> t.train(bin, Map.of("objective", "rank:ndcg"), 5)).hasMessageContaining("group sizes");
        assertThatThrownBy(() -> new TrainingSet(FEATURES, new float[6], new float[2], new int[]{3}, null))
                .hasMessageContaining("sum to 3");
    }
}
