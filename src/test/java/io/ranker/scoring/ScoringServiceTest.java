package io.ranker.scoring;

import io.ranker.config.RankingSettings;
import io.ranker.demo.DemoSeeding;
import io.ranker.core.Candidate;
import io.ranker.core.RankRequest;
import io.ranker.core.RankingContext;
import io.ranker.training.TrainingSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class ScoringServiceTest {
    static final List<String> FEATURES = TestModels.names("f", 3);

    static ScoringService service(Path dir, long shadowDeadlineMs) {
        RankingSettings settings = new RankingSettings() {
            public String dataDir() { return dir.resolve("data").toString(); }
            public String configDir() { return dir.resolve("ranking-config").toString(); }
            public Admin admin() { return Optional::empty; }
            public Optional<String> replicaId() { return Optional.empty(); }
        };
        ScoringSettings scoring = new ScoringSettings() {
            public Optional<String> file() { return Optional.empty(); }
            public String pollInterval() { return "1s"; }
            public long shadowDeadlineMs() { return shadowDeadlineMs; }
            public int demoRounds() { return 100; }
            public int demoRequests() { return 3000; }
        };
        return new ScoringService(settings, scoring);
    }

    static RankingContext ctx() {
        return new RankingContext(new RankRequest("feed", "u1", null, null, null, null, 10, false, null), "imp-1", 1);
    }

    static Candidate candidate(float... f) {
        Candidate c = new Candidate("i", null);
        c.setFeatures(f);
        c.setRetrievalScore(2.0);
        return c;
    }

    @Test
    void firstStartTrainsTheDemoModelOnceAndScorersFollowIt(@TempDir Path dir) {
        ScoringService s = service(dir, 1000);
        var scorer = s.scorerFor("feed"); // taken before start: must follow the router installed later
        assertThat(scorer.version()).isEqualTo("none");
        s.start(FEATURES);
        AtomicInteger calls = new AtomicInteger();
        List<String> promoted = DemoSeeding.promoteDemoModel(s.release(), 100, List.of("feed", "search"), () -> {
            calls.incrementAndGet();
            return TestModels.binaryData(FEATURES, 500, 3);
        });
        assertThat(promoted).containsExactly("feed", "search");
        assertThat(calls).hasValue(1);
        String v = scorer.version();
        assertThat(v).isNotEqualTo("none").isEqualTo(s.scorerFor("search").version());
        // the live routing is in the data directory; the (absent) seed file is never written
        assertThat(Files.exists(dir.resolve("data/models/routing.yaml"))).isTrue();
        assertThat(Files.exists(dir.resolve("ranking-config/models.yaml"))).isFalse();
        assertThat(DemoSeeding.promoteDemoModel(s.release(), 100, List.of("feed"), () -> {
            throw new AssertionError("must not retrain");
        })).isEmpty();

        // a restart serves the same model without training
        ScoringService again = service(dir, 1000);
        again.start(FEATURES);
        assertThat(again.scorerFor("feed").version()).isEqualTo(v);
        assertThat(again.release().audit().tail(10)).extracting(e -> e.get("actor")).contains("system:first-start");
    }

    @Test
    void shadowsOutsideTheirBudgetAreSkippedNotServed(@TempDir Path dir) throws Exception {
        ScoringService s = service(dir, 0); // no time at all for shadows
        s.start(FEATURES);
        ModelRelease r = s.release();
        String active = r.upload("t", TestModels.trainBinary(FEATURES, 300, 3, 3).toByteArray("ubj"), TestModels.manifest(FEATURES)).version();
        String shadow = r.upload("t", TestModels.trainBinary(FEATURES, 300, 8, 3).toByteArray("ubj"), TestModels.manifest(FEATURES)).version();
        Files.createDirectories(r.routingFile().getParent());
        Files.writeString(r.routingFile(), "surfaces:\n  feed:\n    active: " + active + "\n    shadow: [" + shadow + "]\n");
        assertThat(r.sync()).isTrue();
        List<Candidate> cands = List.of(candidate(0.2f, 0.9f, 0.5f));
        RankingContext c = ctx();
        s.scorerFor("feed").score(c, cands);
        assertThat(cands.get(0).shadowScores()).isEmpty();
        assertThat(s.shadowStats()).containsEntry("skippedForBudget", 1L).containsEntry("scored", 0L);
        assertThat(c.versions().model()).isEqualTo(active);

        ScoringService generous = service(dir, 10_000);
        generous.start(FEATURES);
        List<Candidate> more = List.of(candidate(0.2f, 0.9f, 0.5f));
        double served = generous.scorerFor("feed").score(ctx(), more)[0];
        assertThat(more.get(0).shadowScores()).containsOnlyKeys(shadow);
        assertThat(served).isEqualTo(generous.release().registry().scorer(active).score(null, more)[0]);
    }
}
