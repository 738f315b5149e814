package io.ranker.scoring;

import io.ranker.core.Candidate;
import io.ranker.core.PreconditionFailedException;
import io.ranker.core.RankRequest;
import io.ranker.core.RankingContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The local model routing (issue 15 item 11, issue 11 item 6): it lives in the data directory and the tracked
 * models.yaml only seeds it; an empty routing file (what a power loss after an unsynced rename used to leave) is an
 * error, never "no models"; If-Match on promotions.
 */
class RoutingDurabilityTest {
    static final List<String> FEATURES = TestModels.names("f", 3);
    @TempDir
    Path dir;

    ModelRelease release() {
        ModelRegistry registry = new ModelRegistry(dir.resolve("data/models"), FEATURES);
        return new ModelRelease(registry, new ModelRouter(registry), ModelStores.local(Clock.systemUTC()).routing(dir.resolve("data/models")),
                Clock.systemUTC());
    }

    String upload(ModelRelease r, int rounds) throws Exception {
        return r.upload("t", TestModels.trainBinary(FEATURES, 300, rounds, 3).toByteArray("ubj"), TestModels.manifest(FEATURES)).version();
    }

    static RankingContext ctx() {
        return new RankingContext(new RankRequest("feed", "u1", null, null, null, null, 10, false, null), "imp-1", 1);
    }

    static List<Candidate> candidates() {
        Candidate c = new Candidate("i1", null);
        c.setFeatures(new float[]{0.9f, 0.9f, 0.1f});
        c.setRetrievalScore(3.5);
        return List.of(c);
    }

    @Test
    void anEmptyRoutingFileIsAnErrorNotNoModels() throws Exception {
        ModelRelease r = release();
        r.start();
        String v1 = upload(r, 3);
        r.promote("alice", "feed", v1);
        Path routing = dir.resolve("data/models/routing.yaml");
        assertThat(Files.readString(routing)).contains(v1);

        // while running: an emptied file is refused, the previous routing keeps serving
        Files.write(routing, new byte[0]);
        assertThat(r.sync()).isFalse();
        assertThat(r.router().active("feed").version()).isEqualTo(v1);
        assertThat(r.lastRefusal()).contains("empty");

        // at startup: nothing serves a model, and every response says so instead of silently ranking unscored
        ModelRelease restarted = release();
        assertThat(restarted.start()).isFalse();
        RoutingScorer scorer = new RoutingScorer(restarted.router(), "feed", new ShadowScoring(1000));
        assertThat(scorer.version()).isEqualTo(RoutingScorer.UNAVAILABLE);
        assertThatThrownBy(() -> scorer.score(ctx(), candidates())).isInstanceOf(ModelScoringException.class)
                .hasMessageContaining("empty");
        assertThat(restarted.lastRefusal()).contains("empty");

        // a repaired file serves again without a restart
        Files.writeString(routing, "surfaces:\n  feed:\n    active: " + v1 + "\n");
        assertThat(restarted.sync()).isTrue();
        assertThat(scorer.version()).isEqualTo(v1);
        assertThat(restarted.router().unavailable()).isNull();
    }

    @Test
    void theSeedIsReadNeverWrittenAndOnlyFillsSurfacesWithoutRouting() throws Exception {
        ModelRelease r = release();
        r.start();
        String v1 = upload(r, 3);
        String v2 = upload(r, 6);
        Path seed = dir.resolve("ranking-config/models.yaml");
        Files.createDirectories(seed.getParent());
        String seedText = "surfaces:\n  feed:\n    active: " + v1 + "\n";
        Files.writeString(seed, seedText);
        assertThat(r.seed(ModelsConfig.parse(Files.readAllBytes(seed)), seed.toString())).containsExactly("feed");
        r.promote("alice", "feed", v2);
        assertThat(r.seed(ModelsConfig.parse(Files.readAllBytes(seed)), seed.toString())).as("feed has routing now").isEmpty();
        assertThat(Files.readString(seed)).isEqualTo(seedText);
        assertThat(release().start()).isTrue();
        assertThat(r.router().active("feed").version()).isEqualTo(v2);
    }

    @Test
    void ifMatchOnPromoteAndRollback() throws Exception {
        ModelRelease r = release();
        r.start();
        String v1 = upload(r, 3);
        String v2 = upload(r, 6);
        r.promote("alice", "feed", v1, null);
        r.promote("bob", "feed", v2, v1);
        assertThatThrownBy(() -> r.promote("carol", "feed", v1, v1)).isInstanceOf(PreconditionFailedException.class)
                .satisfies(e -> assertThat(((PreconditionFailedException) e).currentVersion()).isEqualTo(v2));
        assertThatThrownBy(() -> r.rollback("carol", "feed", v1)).isInstanceOf(PreconditionFailedException.class);
        assertThat(r.rollback("carol", "feed", v2)).isEqualTo(v1);
        ModelsConfig.SurfaceModels canary = new ModelsConfig.SurfaceModels(v1, List.of(v2), new ModelsConfig.Canary(v2, 10), List.of(), null);
        r.setRouting("dave", "feed", canary, v1);
        assertThat(r.router().config().surfaces().get("feed")).isEqualTo(canary);
        assertThat(r.audit().tail(10)).extracting(e -> e.get("action")).contains("promote", "rollback", "routing");
    }
}
