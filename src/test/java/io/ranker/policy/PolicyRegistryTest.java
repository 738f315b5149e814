package io.ranker.policy;

import io.ranker.core.PolicyStage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.NoSuchElementException;

import static io.ranker.policy.PolicyFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyRegistryTest {
    static final String V1 = "rules:\n  - {id: f, type: filter, when: {attribute: in_stock, eq: false}}\n";
    static final String V2 = "rules:\n  - {id: f, type: filter, when: {attribute: in_stock, eq: false}}\n"
            + "  - {id: k, type: cap, attribute: brand, max: 1, topK: 3}\n";
    static final String BROKEN = "rules:\n  - {id: f, type: filter, when: {attribute: in_stock, eq: false}\n";

    @TempDir
    Path dir;
    Path config;
    SimpleMeterRegistry meters;

    @BeforeEach
    void setUp() throws Exception {
        config = dir.resolve("ranking-config/policies");
        Files.createDirectories(config);
        meters = new SimpleMeterRegistry();
    }

    PolicyRegistry registry() {
        PolicyRegistry r = new PolicyRegistry(config, new FilePolicyVersionStore(dir.resolve("data/policies")),
                () -> ValidationLimits.DEFAULT, SeenItems.NONE, CLOCK, meters);
        r.start();
        return r;
    }

    @Test
    void loadsRuleFilesAtStartupAndServesThem() throws Exception {
        Files.writeString(config.resolve("search.yaml"), V1);
        PolicyRegistry r = registry();
        assertThat(r.stage("search").version()).isEqualTo(new PolicyParser(ValidationLimits.DEFAULT, SeenItems.NONE).parse(V1).policy().version());
        assertThat(r.stage("feed")).isSameAs(PolicyStage.NONE);
        PolicyStage.PolicyOutcome out = r.stage("search").apply(ctx(Map.of()), candidates(PolicyRulesTableTest.CATALOG));
        assertThat(ids(out.removed())).containsExactly("b");
        assertThat(r.versions("search")).singleElement().satisfies(v -> {
            assertThat(v.source()).isEqualTo("file");
            assertThat(v.author()).isEqualTo("ranking-config");
        });
    }

    @Test
    void publishIsImmutableAndRollbackRestores() {
        PolicyRegistry r = registry();
        PolicyVersion v1 = r.publish("search", V1, "alice", "first");
        PolicyVersion v2 = r.publish("search", V2, "bob", "cap brands");
        assertThat(r.stage("search").version()).isEqualTo(v2.version());
        assertThat(r.versions("search")).extracting(PolicyVersion::version).containsExactly(v1.version(), v2.version());
        assertThat(r.source("search", v1.version())).contains(V1);

        PolicyVersion back = r.rollback("search", null, "carol", "oops");
        assertThat(back.version()).isEqualTo(v1.version());
        assertThat(r.stage("search").version()).isEqualTo(v1.version());
        assertThat(r.history("search")).extracting(PolicyActivation::action).containsExactly("publish", "publish", "rollback");

        // publishing the same content again keeps the original metadata (immutable, content-addressed)
        PolicyVersion again = r.publish("search", "# same rules, new comment\n" + V2, "dave", "again");
        assertThat(again.version()).isEqualTo(v2.version());
        assertThat(again.author()).isEqualTo("bob");
        assertThat(r.rollback("search", v1.version(), "x", null).version()).isEqualTo(v1.version());
        assertThatThrownBy(() -> r.rollback("search", "000000000000", "x", null)).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void survivesARestart() {
        PolicyRegistry first = registry();
        first.publish("search", V1, "alice", null);
        PolicyVersion v2 = first.publish("search", V2, "bob", null);
        assertThat(registry().stage("search").version()).isEqualTo(v2.version());
    }

    @Test
    void invalidPublicationIsRejectedAndCounted() {
        PolicyRegistry r = registry();
        PolicyVersion v1 = r.publish("search", V1, "alice", null);
        assertThatThrownBy(() -> r.publish("search", BROKEN, "bob", null))
                .isInstanceOfSatisfying(PolicyRejectedException.class, e -> assertThat(e.errors().get(0).line()).isNotNull());
        assertThatThrownBy(() -> r.publish("search", "surface: feed\n" + V2, "bob", null))
                .isInstanceOf(PolicyRejectedException.class).hasMessageContaining("invalid");
        assertThat(r.stage("search").version()).isEqualTo(v1.version());
        assertThat(meters.counter("ranker.policy.rejected", "surface", "search", "source", "api").count()).isEqualTo(2.0);
        assertThatThrownBy(() -> r.publish("../etc", V1, "x", null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hotReloadSwapsValidFilesAndKeepsTheLiveSetOnInvalidOnes() throws Exception {
        Path file = config.resolve("search.yaml");
        Files.writeString(file, V1);
        PolicyRegistry r = registry();
        String v1 = r.stage("search").version();

        Files.writeString(file, BROKEN);
        r.reloadChangedFiles();
        assertThat(r.stage("search").version()).isEqualTo(v1);
        PolicyRegistry.FileStatus status = r.fileStatus().get("search");
        assertThat(status.valid()).isFalse();
        assertThat(status.liveVersion()).isEqualTo(v1);
        assertThat(status.errors().get(0).line()).isNotNull();
        assertThat(meters.get("ranker.policy.file.invalid").tag("surface", "search").gauge().value()).isEqualTo(1.0);

        Files.writeString(file, V2);
        r.reloadChangedFiles();
        assertThat(r.stage("search").version()).isNotEqualTo(v1);
        assertThat(r.fileStatus().get("search").valid()).isTrue();
        assertThat(meters.get("ranker.policy.file.invalid").tag("surface", "search").gauge().value()).isEqualTo(0.0);
    }

    @Test
    void anUnchangedFileDoesNotUndoAnApiPublicationAtRestart() throws Exception {
        Files.writeString(config.resolve("search.yaml"), V1);
        PolicyRegistry r = registry();
        PolicyVersion published = r.publish("search", V2, "alice", "via API");
        // a comment-only edit of the file is the same version: the API publication stays live
        Files.writeString(config.resolve("search.yaml"), "# reviewed\n" + V1);
        r.reloadChangedFiles();
        assertThat(r.stage("search").version()).isEqualTo(published.version());
        assertThat(registry().stage("search").version()).isEqualTo(published.version());
    }

    @Test
    void aFileEditedWhileDownWinsAtStartup() throws Exception {
        Files.writeString(config.resolve("search.yaml"), V1);
        registry();
        Files.writeString(config.resolve("search.yaml"), V2);
        PolicyRegistry r = registry();
        assertThat(r.stage("search").version()).isEqualTo(new PolicyParser(ValidationLimits.DEFAULT, SeenItems.NONE).parse(V2).policy().version());
    }

    @Test
    void aSurfaceWithOnlyAnInvalidFileServesNoRulesAndSaysSo() throws Exception {
        Files.writeString(config.resolve("feed.yaml"), BROKEN);
        PolicyRegistry r = registry();
        assertThat(r.stage("feed")).isSameAs(PolicyStage.NONE);
        assertThat(r.fileStatus().get("feed").valid()).isFalse();
        assertThat(r.fileStatus().get("feed").liveVersion()).isNull();
    }

    @Test
    void diffNamesAddedRemovedAndChangedRules() {
        PolicyParser p = new PolicyParser(ValidationLimits.DEFAULT, SeenItems.NONE);
        var a = p.parse("rules:\n  - {id: f, type: filter, when: {attribute: in_stock, eq: false}}\n"
                + "  - {id: k, type: cap, attribute: brand, max: 2, topK: 10}\n  - {id: gone, type: pin, item: x, position: 1}\n").policy();
        var b = p.parse("rules:\n  - {id: k, type: cap, attribute: brand, max: 3, topK: 10}\n"
                + "  - {id: f, type: filter, when: {attribute: in_stock, eq: false}}\n  - {id: new, type: pin, item: y, position: 2}\n").policy();
        assertThat(PolicyDiff.diff(a, b)).containsExactly(
                "- rule gone (pin)",
                "~ rule k: max: 2 -> 3",
                "+ rule new (pin): {id=new, item=y, position=2, type=pin}",
                "~ order: [f, k] -> [k, f]");
        assertThat(PolicyDiff.diff(a, a)).isEmpty();
    }

    @Test
    void storedVersionsStillLoadWhenTheCatalogLosesAnAttribute() {
        java.util.concurrent.atomic.AtomicReference<ValidationLimits> limits =
                new java.util.concurrent.atomic.AtomicReference<>(new ValidationLimits(java.util.Set.of("in_stock", "brand"), 100));
        PolicyVersionStore store = new FilePolicyVersionStore(dir.resolve("data/policies"));
        PolicyRegistry r = new PolicyRegistry(config, store, limits::get, SeenItems.NONE, CLOCK, meters);
        r.start();
        PolicyVersion v2 = r.publish("search", V2, "alice", null);
        limits.set(new ValidationLimits(java.util.Set.of("in_stock"), 100));
        assertThatThrownBy(() -> r.publish("search", V2 + "  - {id: x, type: pin, item: a, position: 1}\n", "bob", null))
                .isInstanceOf(PolicyRejectedException.class).hasMessageContaining("invalid");
        PolicyRegistry restarted = new PolicyRegistry(config, store, limits::get, SeenItems.NONE, CLOCK, meters);
        restarted.start();
        assertThat(restarted.stage("search").version()).isEqualTo(v2.version());
    }
}
