package io.ranker.scoring;

import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

/**
 * Issue 15 item 6: a model whose split index is out of range crashed the JVM in xgboost's native code during
 * upload; a tree that loops back on itself passed validation and crashed on the first request. Each broken
 * model below is refused with a reason, in JSON and in UBJ, before xgboost4j sees it; that this test's JVM
 * is still running afterwards is part of the assertion.
 */
class MalformedModelTest {
    static final List<String> FEATURES = List.of("f0", "f1");

    @TempDir
    Path dir;

    static ModelManifest manifest() {
        return ModelManifest.parse(HandBuiltModel.manifest());
    }

    @Test
    void theHandBuiltModelIsValidAndBothEvaluatorsAgreeWithItsTree() throws Exception {
        HandBuiltModel m = new HandBuiltModel();
        for (byte[] bytes : List.of(m.json(), m.ubj())) {
            XgboostScorer scorer = XgboostScorer.load("v", bytes, manifest(), FEATURES);
            assertThat(scorer.evaluator()).isEqualTo("java");
            float[] rows = {
                    0.2f, 9f,          // left leaf -0.4
                    Float.NaN, 9f,     // missing f0 goes left: -0.4
                    0.5f, 0.1f,        // 0.5 is not < 0.5: right, then 0.1 < 0.25: 0.2
                    0.9f, 0.25f,       // 0.25 is not < 0.25: 0.7
                    0.9f, Float.NaN};  // missing f1 goes right: 0.7
            double[] expectedMargins = {-0.4, -0.4, 0.2, 0.7, 0.7};
            double[] java = scorer.predict(rows, 5);
            double[] xgb = scorer.predictWithXgboost(rows, 5);
            for (int i = 0; i < 5; i++) {
                assertThat(java[i]).isEqualTo(1 / (1 + Math.exp(-expectedMargins[i])), offset(1e-6));
                assertThat(java[i]).isEqualTo(xgb[i]);
            }
        }
    }

    static Stream<Object[]> broken() {
        return Stream.of(
                broken("split index out of range", m -> m.splitIndices[2] = 7, "split index 7 is outside the model's 2 features"),
                broken("negative split index", m -> m.splitIndices[0] = -3, "split index -3"),
                broken("self-loop", m -> {
                    m.left[2] = 2;
                    m.right[2] = 3;
                }, "node 2 is reached twice"),
                broken("loop back to the root", m -> {
                    m.left[2] = 0;
                    m.right[2] = 1;
                }, "left child 0 is outside 1..4"),
                broken("shared child", m -> {
                    m.left = new long[]{1, 3, 3, -1, -1, -1, -1};
                    m.right = new long[]{2, 4, 4, -1, -1, -1, -1};
                    m.parents = new long[]{2147483647L, 0, 0, 1, 1, 2, 2};
                    m.splitIndices = new long[7];
                    m.splitConditions = new float[]{0.5f, 0.3f, 0.7f, 1f, 2f, 3f, 4f};
                    m.defaultLeft = new long[7];
                }, "node 3 is reached twice"),
                broken("NaN threshold", m -> m.splitConditions[0] = Float.NaN, "split threshold NaN is not finite"),
                broken("infinite threshold", m -> m.splitConditions[2] = Float.POSITIVE_INFINITY, "split threshold Infinity"),
                broken("NaN leaf", m -> m.splitConditions[4] = Float.NaN, "leaf value NaN"),
                broken("right child not next to left", m -> m.right[0] = 4, "right child 4 is not left child + 1"),
                broken("child index past the end", m -> {
                    m.left[2] = 4;
                    m.right[2] = 5;
                }, "right child 5 is outside 1..4"),
                broken("parent out of range", m -> m.parents[3] = 99, "node 3: parent is 99"),
                broken("array shorter than num_nodes", m -> m.splitConditions = new float[]{0.5f, -0.4f, 0.25f},
                        "'split_conditions' has 3 entries, expected 5"),
                broken("leaf with a right child", m -> m.right[1] = 3, "a leaf (left child -1) with right child 3"),
                broken("default_left not boolean", m -> m.defaultLeft[0] = 2, "default_left is 2"),
                broken("unreachable node", m -> {
                    m.left = new long[]{1, -1, -1, -1, -1};
                    m.right = new long[]{2, -1, -1, -1, -1};
                }, "node 3: not reachable from the root and not marked deleted"),
                broken("NaN base score", m -> m.baseScore = "[NaN]", "base_score [NaN] is not finite"),
                broken("two base scores", m -> m.baseScore = "[0.5,0.5]", "has several values"));
    }

    static Object[] broken(String name, Consumer<HandBuiltModel> breakIt, String reason) {
        HandBuiltModel m = new HandBuiltModel();
        breakIt.accept(m);
        return new Object[]{name, m, reason};
    }

    @Test
    void everyBrokenModelIsRefusedWithItsReasonInJsonAndUbj() {
        broken().forEach(c -> {
            HandBuiltModel m = (HandBuiltModel) c[1];
            for (byte[] bytes : List.of(m.json(), m.ubj())) {
                assertThatThrownBy(() -> XgboostScorer.load("v", bytes, manifest(), FEATURES))
                        .as((String) c[0])
                        .isInstanceOf(ModelRejectedException.class)
                        .hasMessageContaining((String) c[2]);
            }
        });
    }

    @Test
    void uploadRefusesThemAndWritesNothing() throws Exception {
        ModelRegistry registry = new ModelRegistry(dir.resolve("models"), FEATURES);
        broken().forEach(c -> assertThatThrownBy(() -> registry.register(((HandBuiltModel) c[1]).json(), HandBuiltModel.manifest()))
                .as((String) c[0]).isInstanceOf(ModelRejectedException.class));
        try (Stream<Path> s = Files.list(dir.resolve("models"))) {
            assertThat(s.toList()).isEmpty();
        }
    }

    @Test
    void aBrokenModelPlacedOnDiskByHandIsRefusedWhenLoaded() throws Exception {
        ModelRegistry registry = new ModelRegistry(dir.resolve("models"), FEATURES);
        String version = registry.register(new HandBuiltModel().json(), HandBuiltModel.manifest()).version();
        HandBuiltModel loop = new HandBuiltModel();
        loop.left[2] = 2;
        loop.right[2] = 3;
        Files.write(dir.resolve("models").resolve(version).resolve("model.json"), loop.json());
        ModelRegistry restarted = new ModelRegistry(dir.resolve("models"), FEATURES);
        assertThatThrownBy(() -> restarted.scorer(version)).isInstanceOf(ModelRejectedException.class)
                .hasMessageContaining("reached twice");
    }

    @Test
    void prunedNodesMarkedDeletedAreAccepted() throws Exception {
        // node 2 was a split whose children 3 and 4 were pruned away: xgboost keeps them, marked deleted
        HandBuiltModel m = new HandBuiltModel();
        m.left[2] = -1;
        m.right[2] = -1;
        m.splitIndices = new long[]{0, 0, 0, 2147483647L, 2147483647L};
        m.defaultLeft = new long[]{1, 0, 0, 1, 1};
        m.numDeleted = 2;
        XgboostScorer scorer = XgboostScorer.load("v", m.json(), manifest(), FEATURES);
        float[] row = {0.9f, 0.9f};
        assertThat(scorer.predict(row, 1)[0]).isEqualTo(scorer.predictWithXgboost(row, 1)[0]);
        assertThat(scorer.predict(row, 1)[0]).isEqualTo(1 / (1 + Math.exp(-0.25)), offset(1e-6));
        m.numDeleted = 1;
        assertThatThrownBy(() -> XgboostScorer.load("v", m.json(), manifest(), FEATURES))
                .hasMessageContaining("2 deleted nodes but tree_param says num_deleted 1");
    }

    @Test
    void aManifestWithFewerFeaturesThanTheModelIsRefusedBeforeNativeCode() {
        HandBuiltModel m = new HandBuiltModel();
        ModelManifest one = ModelManifest.parse(new ModelManifest(List.of("f0"), null, null, null, null).toJson());
        assertThatThrownBy(() -> XgboostScorer.load("v", m.json(), one, FEATURES))
                .isInstanceOf(ModelRejectedException.class)
                .hasMessageContaining("model file has 2 input columns but manifest.json lists 1 features");
    }

    @Test
    void truncatedAndHostileUbjIsRefused() {
        byte[] ubj = new HandBuiltModel().ubj();
        for (int cut : new int[]{2, 10, ubj.length / 2, ubj.length - 1}) {
            byte[] part = java.util.Arrays.copyOf(ubj, cut);
            assertThatThrownBy(() -> XgboostScorer.load("v", part, manifest(), FEATURES))
                    .as("cut at " + cut).isInstanceOf(ModelRejectedException.class);
        }
        // an array claiming 2^40 elements must not allocate them
        byte[] huge = {'{', 'L', 0, 0, 0, 0, 0, 0, 0, 7, 'l', 'e', 'a', 'r', 'n', 'e', 'r',
                '[', '$', 'd', '#', 'L', 0, 0, 1, 0, 0, 0, 0, 0, '}'};
        assertThatThrownBy(() -> XgboostScorer.load("v", huge, manifest(), FEATURES)).isInstanceOf(ModelRejectedException.class);
    }

    @Test
    void theXgboostSettingStillValidatesButScoresNatively() throws Exception {
        HandBuiltModel m = new HandBuiltModel();
        XgboostScorer s = XgboostScorer.load("v", m.ubj(), manifest(), FEATURES, ScoringEvaluator.XGBOOST);
        assertThat(s.evaluator()).isEqualTo("xgboost");
        HandBuiltModel bad = new HandBuiltModel();
        bad.splitIndices[0] = 5;
        assertThatThrownBy(() -> XgboostScorer.load("v", bad.ubj(), manifest(), FEATURES, ScoringEvaluator.XGBOOST))
                .isInstanceOf(ModelRejectedException.class);
        // and our UBJ writer's output is what xgboost itself reads
        Booster b = XGBoost.loadModel(m.ubj());
        assertThat(b.getNumFeature()).isEqualTo(2);
    }
}
