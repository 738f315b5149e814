package io.ranker.scoring;

import io.ranker.core.Candidate;
import io.ranker.core.PolicyStage;
import io.ranker.core.Scorer;
import io.ranker.explore.NoExplorer;
import io.ranker.pipeline.RankingPipeline;
import io.ranker.core.RankRequest;
import io.ranker.core.RankingContext;
import ml.dmlc.xgboost4j.java.Booster;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelReleaseTest {
    static final List<String> FEATURES = TestModels.names("f", 3);
    @TempDir
    Path dir;
    ModelRelease release;
    Path yaml;

    @BeforeEach
    void setUp() {
        ModelRegistry registry = new ModelRegistry(dir.resolve("data/models"), FEATURES);
        yaml = dir.resolve("data/models/routing.yaml");
        release = new ModelRelease(registry, new ModelRouter(registry),
                yaml, new ModelAuditLog(dir.resolve("data/models/audit.jsonl"), Clock.systemUTC()));
    }

    byte[] model(int rounds) throws Exception {
        Booster b = TestModels.trainBinary(FEATURES, 300, rounds, 3);
        return b.toByteArray("ubj");
    }

    String upload(int rounds) throws Exception {
        return release.upload("alice", model(rounds), TestModels.manifest(FEATURES)).version();
    }

    RankingContext ctx(String user) {
        return new RankingContext(new RankRequest("feed", user, null, null, null, null, 10, false, null), "imp", 1);
    }

    List<Candidate> candidates() {
        Candidate c = new Candidate("i1", null);
        c.setFeatures(new float[]{0.9f, 0.9f, 0.1f});
        c.setRetrievalScore(3.5);
        return List.of(c);
    }

    @Test
    void uploadPromoteRollbackWithoutRestartAndAudit() throws Exception {
        assertThat(release.start()).isFalse(); // no routing yet: retrieval order
        RoutingScorer scorer = new RoutingScorer(release.router(), "feed", new ShadowScoring(1000));
        RankingContext c0 = ctx("u1");
        assertThat(scorer.score(c0, candidates())).containsExactly(3.5);
        assertThat(c0.versions().model()).isEqualTo("none");

        String v1 = upload(3);
        String v2 = upload(6);
        assertThat(v1).isNotEqualTo(v2);
        assertThat(upload(3)).isEqualTo(v1); // content-addressed: same model, same version
        assertThat(release.registry().list()).extracting(ModelRegistry.RegisteredModel::version).contains(v1, v2);
        assertThat(scorer.version()).isEqualTo("none"); // uploading activates nothing

        release.promote("alice", "feed", v1);
        RankingContext c1 = ctx("u1");
        double s1 = scorer.score(c1, candidates())[0];
        assertThat(c1.versions().model()).isEqualTo(v1);
        assertThat(Files.readString(yaml)).contains("active: " + v1);

        release.promote("bob", "feed", v2);
        RankingContext c2 = ctx("u1");
        double s2 = scorer.score(c2, candidates())[0];
        assertThat(c2.versions().model()).isEqualTo(v2);
        assertThat(s2).isNotEqualTo(s1);

        assertThat(release.rollback("carol", "feed")).isEqualTo(v1);
        RankingContext c3 = ctx("u1");
        assertThat(scorer.score(c3, candidates())[0]).isEqualTo(s1);
        assertThat(c3.versions().model()).isEqualTo(v1);
        assertThatThrownBy(() -> release.rollback("carol", "feed")).isInstanceOf(IllegalStateException.class);

        List<Map<String, Object>> audit = release.audit().tail(100);
        assertThat(audit).extracting(e -> e.get("action") + ":" + e.get("actor") + ":" + e.get("version"))
                .containsSubsequence("upload:alice:" + v1, "promote:alice:" + v1, "promote:bob:" + v2, "rollback:carol:" + v1);
        assertThat(audit.get(audit.size() - 1)).containsKeys("time").containsEntry("previous", v2);

        // a fresh service on the same directories serves what was left active
        ModelRegistry registry2 = new ModelRegistry(dir.resolve("data/models"), FEATURES);
        ModelRelease restarted = new ModelRelease(registry2, new ModelRouter(registry2), yaml,
                new ModelAuditLog(dir.resolve("data/models/audit.jsonl"), Clock.systemUTC()));
        assertThat(restarted.start()).isTrue();
        assertThat(restarted.router().active("feed").version()).isEqualTo(v1);
    }

    @Test
    void nonModelUploadIsRefusedAndNothingChanges() throws Exception {
        String v1 = upload(3);
        release.promote("alice", "feed", v1);
        int before = release.registry().list().size();
        assertThatThrownBy(() -> release.upload("mallory", "PK\u0003\u0004 not a model".getBytes(StandardCharsets.UTF_8),
                TestModels.manifest(FEATURES))).isInstanceOf(ModelRejectedException.class);
        assertThatThrownBy(() -> release.upload("mallory", model(3), "{\"features\": []}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ModelRejectedException.class).hasMessageContaining("features");
        assertThatThrownBy(() -> release.upload("mallory", model(3), TestModels.manifest(List.of("f0", "f1", "zz"))))
                .isInstanceOf(ModelRejectedException.class).hasMessageContaining("[zz]");
        assertThat(release.registry().list()).hasSize(before);
        try (var s = Files.list(release.registry().directory())) {
            assertThat(s.filter(p -> p.getFileName().toString().startsWith(".tmp"))).isEmpty();
        }
        assertThat(release.router().active("feed").version()).isEqualTo(v1);
        assertThatThrownBy(() -> release.promote("mallory", "feed", "0123456789abcdef"))
                .isInstanceOf(ModelRejectedException.class);
        assertThat(release.router().active("feed").version()).isEqualTo(v1);
        assertThat(release.audit().tail(10)).extracting(e -> e.get("action"))
                .contains("upload-refused", "promote-refused");
    }

    @Test
    void hotReloadAppliesEditsAndRefusesBrokenOnes() throws Exception {
        String v1 = upload(3);
        String v2 = upload(6);
        Files.createDirectories(yaml.getParent());
        Files.writeString(yaml, "surfaces:\n  feed:\n    active: " + v1 + "\n");
        assertThat(release.start()).isTrue();
        assertThat(release.router().active("feed").version()).isEqualTo(v1);
        assertThat(release.sync()).isFalse(); // unchanged

        Files.writeString(yaml, "surfaces:\n  feed:\n    active: " + v2 + "\n    shadow: [" + v1 + "]\n");
        assertThat(release.sync()).isTrue();
        assertThat(release.router().active("feed").version()).isEqualTo(v2);

        // shadows score but never serve
        RoutingScorer scorer = new RoutingScorer(release.router(), "feed", new ShadowScoring(10_000));
        List<Candidate> cands = candidates();
        RankingContext c = ctx("u9");
        double served = scorer.score(c, cands)[0];
        assertThat(cands.get(0).shadowScores()).containsOnlyKeys(v1);
        assertThat(cands.get(0).shadowScores().get(v1)).isNotEqualTo(served);
        assertThat(c.versions().model()).isEqualTo(v2);

        // broken yaml: refused, v2 keeps serving
        Files.writeString(yaml, "surfaces:\n  feed: [not, a, mapping\n");
        assertThat(release.sync()).isFalse();
        assertThat(release.router().active("feed").version()).isEqualTo(v2);
        assertThat(release.lastRefusal()).contains("malformed");
        // corrupt model on disk referenced by the edit: refused, v2 keeps serving
        Path corruptDir = release.registry().directory().resolve("00000000deadbeef");
        Files.createDirectories(corruptDir);
        Files.write(corruptDir.resolve("model.ubj"), new byte[]{'{', 'L', 1, 2, 3});
        Files.write(corruptDir.resolve("manifest.json"), TestModels.manifest(FEATURES));
        Files.writeString(yaml, "surfaces:\n  feed:\n    active: 00000000deadbeef\n");
        assertThat(release.sync()).isFalse();
        assertThat(release.router().active("feed").version()).isEqualTo(v2);
        assertThat(release.lastRefusal()).contains("00000000deadbeef");
        assertThat(release.audit().tail(10)).extracting(e -> e.get("action")).contains("reload", "reload-refused");

        // a hand edit of active is rollback-able
        Files.writeString(yaml, "surfaces:\n  feed:\n    active: " + v1 + "\n");
        assertThat(release.sync()).isTrue();
        assertThat(release.rollback("ops", "feed")).isEqualTo(v2);
    }

    @Test
    void promotingTheCanaryEndsIt() throws Exception {
        String v1 = upload(3);
        String v2 = upload(6);
        Files.createDirectories(yaml.getParent());
        Files.writeString(yaml, "surfaces:\n  feed:\n    active: " + v1 + "\n    canary: {version: " + v2 + ", percent: 10}\n");
        release.start();
        RoutingScorer scorer = new RoutingScorer(release.router(), "feed", new ShadowScoring(1000));
        String canaryUser = null;
        for (int u = 0; canaryUser == null; u++) {
            RankingContext c = ctx("user-" + u);
            scorer.score(c, candidates());
            if ("canary".equals(c.experimentArm())) {
                canaryUser = "user-" + u;
                assertThat(c.versions().model()).isEqualTo(v2);
            }
        }
        release.promote("alice", "feed", v2);
        assertThat(release.router().config().surfaces().get("feed").canary()).isNull();
        RankingContext c = ctx(canaryUser);
        scorer.score(c, candidates());
        assertThat(c.experimentArm()).isNull();
        assertThat(c.versions().model()).isEqualTo(v2);
    }

    @Test
    void aFailingCanaryIsNamedByTheCanarysVersionNotTheActiveOne() throws Exception {
        String v1 = upload(3);
        String v2 = upload(6);
        Files.createDirectories(yaml.getParent());
        Files.writeString(yaml, "surfaces:\n  feed:\n    active: " + v1 + "\n    canary: {version: " + v2 + ", percent: 10}\n");
        release.start();
        RoutingScorer routing = new RoutingScorer(release.router(), "feed", new ShadowScoring(1000));
        // the routed model breaks when it scores (a corrupt booster, a native error): the pipeline must name it
        RankingPipeline pipeline = RankingPipeline.builder()
                .featureNames(FEATURES)
                .scorers(ctx -> {
                    Scorer routed = routing.forRequest(ctx);
                    return routed == null ? null : new Scorer() {
                        public String version() { return routed.version(); }

                        public double[] score(RankingContext c, List<Candidate> cs) {
                            throw new ModelScoringException(routed.version(), "native error", null);
                        }
                    };
                })
                .policies(ctx -> PolicyStage.NONE)
                .explorers(ctx -> NoExplorer.INSTANCE)
                .build();
        int canaries = 0, actives = 0;
        for (int u = 0; u < 200; u++) {
            RankingContext c = ctx("user-" + u);
            pipeline.rankCandidates(c, new ArrayList<>(candidates()), RankingPipeline.Mode.PREVIEW);
            String served = "canary".equals(c.experimentArm()) ? v2 : v1;
            if (served.equals(v2)) canaries++; else actives++;
            assertThat(c.versions().model()).isEqualTo(served);
            assertThat(c.degraded()).containsExactly("model:" + served);
        }
        assertThat(canaries).isPositive();
        assertThat(actives).isPositive();
        // anonymous requests always get the active model
        assertThat(routing.forRequest(ctx(null)).version()).isEqualTo(v1);
    }
}
