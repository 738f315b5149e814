package io.ranker.policy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ranker.core.PreconditionFailedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static io.ranker.policy.PolicyFixtures.CLOCK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Local policy store durability (issue 15, item 10) and preconditions: a torn last history line left by a crash is
 * cut off before the next append, so an acknowledged publish survives the next restart; If-Match loses with a conflict.
 */
class PolicyDurabilityTest {
    @TempDir
    Path dir;

    PolicyRegistry registry() {
        PolicyRegistry r = new PolicyRegistry(dir.resolve("config"), new FilePolicyVersionStore(dir.resolve("data")),
                () -> ValidationLimits.DEFAULT, SeenItems.NONE, CLOCK, new SimpleMeterRegistry());
        r.start();
        return r;
    }

    @Test
    void aPublishAfterATornHistoryLineSurvivesTheNextRestart() throws Exception {
        PolicyRegistry first = registry();
        PolicyVersion v1 = first.publish("search", PolicyRegistryTest.V1, "alice", "first");
        Path history = dir.resolve("data/search/history.jsonl");
        // a crash in the middle of the next append: half a line, no newline
        Files.writeString(history, "{\"version\":\"0123456789ab\",\"action\":\"pub", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        PolicyRegistry afterCrash = registry();
        assertThat(afterCrash.stage("search").version()).as("the torn line is ignored").isEqualTo(v1.version());
        PolicyVersion v2 = afterCrash.publish("search", PolicyRegistryTest.V2, "bob", "acknowledged");
        assertThat(Files.readString(history)).doesNotContain("\"action\":\"pub{").endsWith("\n");

        PolicyRegistry restarted = registry();
        assertThat(restarted.stage("search").version()).as("the acknowledged publish is live after a restart").isEqualTo(v2.version());
        assertThat(restarted.history("search")).extracting(PolicyActivation::version).containsExactly(v1.version(), v2.version());
        assertThat(restarted.history("search")).extracting(PolicyActivation::revision).containsExactly(1L, 2L);
    }

    @Test
    void ifMatchPublishesOnlyOnTheVersionItWasMadeAgainst() {
        PolicyRegistry r = registry();
        PolicyVersion v1 = r.publish("search", PolicyRegistryTest.V1, "alice", null);
        PolicyVersion v2 = r.publish("search", PolicyRegistryTest.V2, "bob", null, v1.version());
        assertThatThrownBy(() -> r.publish("search", PolicyRegistryTest.V1 + "# carol\n", "carol", null, v1.version()))
                .isInstanceOf(PreconditionFailedException.class)
                .satisfies(e -> assertThat(((PreconditionFailedException) e).currentVersion()).isEqualTo(v2.version()));
        assertThat(r.stage("search").version()).isEqualTo(v2.version());
        assertThatThrownBy(() -> r.rollback("search", null, "carol", null, v1.version())).isInstanceOf(PreconditionFailedException.class);
        assertThat(r.rollback("search", null, "carol", null, v2.version()).version()).isEqualTo(v1.version());
    }

    @Test
    void aStoredVersionWhoseTextWasAlteredIsNotServed() throws Exception {
        PolicyRegistry r = registry();
        PolicyVersion v1 = r.publish("search", PolicyRegistryTest.V1, "alice", null);
        Path text = dir.resolve("data/search/versions/" + v1.version() + ".yaml");
        Files.writeString(text, PolicyRegistryTest.V2);
        PolicyRegistry restarted = registry();
        assertThat(restarted.live("search")).as("a version whose rules no longer hash to its name is refused").isEmpty();
    }

    /** A shared store (as Redis is) that can be unreachable: every call fails while {@code down}. */
    static final class FlakySharedStore implements PolicyVersionStore {
        final PolicyVersionStore files;
        volatile boolean down;

        FlakySharedStore(PolicyVersionStore files) {
            this.files = files;
        }

        private PolicyVersionStore up() {
            if (down) throw new IllegalStateException("store unreachable");
            return files;
        }

        @Override public boolean shared() { return true; }
        @Override public PolicyVersion save(PolicyVersion meta, String yaml) { return up().save(meta, yaml); }
        @Override public java.util.Optional<PolicyVersion> meta(String s, String v) { return up().meta(s, v); }
        @Override public java.util.Optional<String> yaml(String s, String v) { return up().yaml(s, v); }
        @Override public java.util.List<PolicyVersion> versions(String s) { return up().versions(s); }
        @Override public java.util.List<PolicyActivation> history(String s) { return up().history(s); }
        @Override public java.util.Map<String, LivePointer> live() { return up().live(); }
        @Override public LivePointer activate(String s, PolicyActivation a, long r) { return up().activate(s, a, r); }
        @Override public java.util.List<String> surfaces() { return up().surfaces(); }
    }

    @Test
    void aSharedStoreThatIsDownAtStartIsLoadedAndSeededWhenItAnswers() throws Exception {
        Files.createDirectories(dir.resolve("config"));
        Files.writeString(dir.resolve("config/search.yaml"), PolicyRegistryTest.V1);
        FlakySharedStore store = new FlakySharedStore(new FilePolicyVersionStore(dir.resolve("data")));
        store.down = true;
        PolicyRegistry r = new PolicyRegistry(dir.resolve("config"), store, () -> ValidationLimits.DEFAULT, SeenItems.NONE, CLOCK,
                new SimpleMeterRegistry());
        r.start(); // does not throw: the replica starts and is not ready yet
        assertThat(r.live("search")).isEmpty();
        assertThatThrownBy(r::sync).isInstanceOf(IllegalStateException.class);
        store.down = false;
        r.sync();
        assertThat(r.live("search")).as("seeded from the rule file once the store answered").isPresent();
        assertThat(store.history("search")).extracting(PolicyActivation::action).containsExactly("file");
        r.sync();
        assertThat(store.history("search")).as("seeded once").hasSize(1);
    }
}
