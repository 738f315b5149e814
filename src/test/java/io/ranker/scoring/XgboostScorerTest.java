package io.ranker.scoring;

import io.ranker.core.Candidate;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class XgboostScorerTest {
    static final List<String> FEATURES = TestModels.names("f", 5);
    static Booster booster;
    static byte[] ubj;
    static byte[] json;

    @BeforeAll
    static void train() throws Exception {
        booster = TestModels.trainBinary(FEATURES, 2000, 30, 4);
        ubj = booster.toByteArray("ubj");
        json = booster.toByteArray("json");
    }

    static ModelManifest manifest(List<String> f) {
        return ModelManifest.parse(TestModels.manifest(f));
    }

    static Candidate candidate(float... f) {
        Candidate c = new Candidate("c" + System.identityHashCode(f), null);
        c.setFeatures(f);
        return c;
    }

    @Test
    void ubjAndJsonLoadAndAgreeWithRawPredict() throws Exception {
        XgboostScorer fromUbj = XgboostScorer.load("v1", ubj, manifest(FEATURES), FEATURES);
        XgboostScorer fromJson = XgboostScorer.load("v2", json, manifest(FEATURES), FEATURES);
        assertThat(XgboostScorer.detectFormat(ubj)).isEqualTo("ubj");
        assertThat(XgboostScorer.detectFormat(json)).isEqualTo("json");
        Random r = new Random(7);
        List<Candidate> cands = new ArrayList<>();
        float[] flat = new float[50 * 5];
        for (int i = 0; i < 50; i++) {
            float[] f = new float[5];
            for (int j = 0; j < 5; j++) f[j] = r.nextFloat();
            System.arraycopy(f, 0, flat, i * 5, 5);
            cands.add(candidate(f));
        }
        double[] a = fromUbj.score(null, cands);
        double[] b = fromJson.score(null, cands);
        float[][] raw = booster.inplace_predict(flat, 50, 5, Float.NaN);
        for (int i = 0; i < 50; i++) {
            assertThat(a[i]).isEqualTo(raw[i][0], org.assertj.core.data.Offset.offset(1e-6));
            assertThat(b[i]).isEqualTo(a[i], org.assertj.core.data.Offset.offset(1e-6));
        }
        // the model learned the rule f0 + f1 > 1
        assertThat(fromUbj.score(null, List.of(candidate(0.9f, 0.9f, 0.5f, 0.5f, 0.5f)))[0]).isGreaterThan(0.8);
        assertThat(fromUbj.score(null, List.of(candidate(0.1f, 0.1f, 0.5f, 0.5f, 0.5f)))[0]).isLessThan(0.2);
    }

    @Test
    void mapsSchemaOrderToModelOrderAndTreatsMissingAsNaN() throws Exception {
        // schema has extra features and a different order than the model
        List<String> schema = List.of("x", "f4", "f3", "f2", "f1", "f0", "y");
        XgboostScorer s = XgboostScorer.load("v", ubj, manifest(FEATURES), schema);
        float[] modelOrder = {0.9f, 0.8f, Float.NaN, 0.3f, 0.2f};
        float[] schemaOrder = {7f, 0.2f, 0.3f, Float.NaN, 0.8f, 0.9f, 7f};
        double expected = booster.inplace_predict(modelOrder, 1, 5, Float.NaN)[0][0];
        assertThat(s.score(null, List.of(candidate(schemaOrder)))[0]).isEqualTo(expected, org.assertj.core.data.Offset.offset(1e-6));
        // unhydrated candidate (null features) and a short vector score as all-missing / partly missing
        float[] allNaN = {Float.NaN, Float.NaN, Float.NaN, Float.NaN, Float.NaN};
        double nanScore = booster.inplace_predict(allNaN, 1, 5, Float.NaN)[0][0];
        Candidate bare = new Candidate("bare", null);
        assertThat(s.score(null, List.of(bare))[0]).isEqualTo(nanScore, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(s.score(null, List.of()).length).isZero();
    }

    @Test
    void refusesModelWhoseFeaturesTheSchemaLacks() {
        List<String> schema = List.of("f0", "f1", "f3");
        assertThatThrownBy(() -> XgboostScorer.load("v", ubj, manifest(FEATURES), schema))
                .isInstanceOf(ModelRejectedException.class)
                .hasMessageContaining("[f2, f4]");
    }

    @Test
    void refusesManifestThatDisagreesWithModelFile() {
        List<String> four = List.of("f0", "f1", "f2", "f3");
        assertThatThrownBy(() -> XgboostScorer.load("v", ubj, manifest(four), FEATURES))
                .isInstanceOf(ModelRejectedException.class)
                .hasMessageContaining("5 input columns").hasMessageContaining("4 features");
        // the model file carries feature names (as Python models often do): a renamed manifest is refused
        List<String> renamed = List.of("f0", "f1", "f2", "f3", "g4");
        assertThatThrownBy(() -> XgboostScorer.load("v", ubj, manifest(renamed), List.of("f0", "f1", "f2", "f3", "g4")))
                .isInstanceOf(ModelRejectedException.class)
                .hasMessageContaining("missing from manifest [f4]").hasMessageContaining("extra in manifest [g4]");
    }

    @Test
    void refusesNonModelFiles() {
        for (byte[] junk : List.of("hello world".getBytes(StandardCharsets.UTF_8),
                "{\"not\": \"a model\"}".getBytes(StandardCharsets.UTF_8),
                "{L garbage that looks like ubj".getBytes(StandardCharsets.UTF_8),
                new byte[0])) {
            assertThatThrownBy(() -> XgboostScorer.load("v", junk, manifest(FEATURES), FEATURES))
                    .isInstanceOf(ModelRejectedException.class);
        }
        byte[] truncated = java.util.Arrays.copyOf(ubj, ubj.length / 2);
        assertThatThrownBy(() -> XgboostScorer.load("v", truncated, manifest(FEATURES), FEATURES))
                .isInstanceOf(ModelRejectedException.class);
    }

    @Test
    void concurrentScoringFromManyThreadsMatchesSequential() throws Exception {
        XgboostScorer s = XgboostScorer.load("v", ubj, manifest(FEATURES), FEATURES);
        Random r = new Random(3);
        List<List<Candidate>> batches = new ArrayList<>();
        List<double[]> expected = new ArrayList<>();
        for (int b = 0; b < 40; b++) {
            List<Candidate> batch = new ArrayList<>();
            for (int i = 0; i < 100 + b; i++) {
                float[] f = new float[5];
                for (int j = 0; j < 5; j++) f[j] = r.nextFloat();
                batch.add(candidate(f));
            }
            batches.add(batch);
            expected.add(s.score(null, batch));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<double[]>> results = new ArrayList<>();
            for (int round = 0; round < 5; round++) {
                for (List<Candidate> batch : batches) results.add(pool.submit(() -> s.score(null, batch)));
            }
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get()).containsExactly(expected.get(i % batches.size()));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void sameBytesLoadIndependentlyOfXgboostRawLoader() throws Exception {
        Booster raw = XGBoost.loadModel(ubj);
        assertThat(raw.getNumFeature()).isEqualTo(5);
        raw.dispose();
    }
}
