package io.ranker.state;

import io.ranker.explore.ExplorationSwitches;
import io.ranker.policy.PolicyActivation;
import io.ranker.policy.PolicyVersion;
import io.ranker.policy.PolicyVersionStore;
import io.ranker.replay.JobStore;
import io.ranker.scoring.ModelArtifacts;
import io.ranker.scoring.ModelRejectedException;
import io.ranker.scoring.ModelsConfig;
import io.ranker.scoring.RoutingStore;
import io.ranker.testing.RedisServerHarness;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Redis state stores against a real redis-server and a real 3-master Redis Cluster: compare-and-set, immutable
 * content with checksums, chunked models, switches, jobs with heartbeats, the once-per-cluster lock, and a paused
 * Redis (a write answered 503 is never applied later).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisStateStoresTest {
    RedisServerHarness standalone;
    RedisServerHarness cluster;
    final List<RedisStateClient> clients = new ArrayList<>();

    @BeforeAll
    void start() {
        standalone = RedisServerHarness.standalone();
        cluster = RedisServerHarness.cluster(3);
    }

    @AfterAll
    void stop() {
        clients.forEach(RedisStateClient::close);
        if (standalone != null) standalone.close();
        if (cluster != null) cluster.close();
    }

    RedisStateClient client(boolean onCluster) {
        RedisServerHarness h = onCluster ? cluster : standalone;
        RedisStateClient c = RedisStateClient.standalone(h.hostList(), onCluster, Duration.ofSeconds(2));
        clients.add(c);
        return c;
    }

    static StateKeys keys() {
        return new StateKeys("t" + UUID.randomUUID().toString().substring(0, 8));
    }

    static final String YAML = "rules:\n  - {id: stock, type: filter, when: {attribute: in_stock, equals: false}}\n";

    static PolicyVersion meta(String version) {
        return new PolicyVersion("search", version, "alice", "c", "2026-12-01T00:00:00Z", "api", 1);
    }

    @ParameterizedTest(name = "cluster={0}")
    @ValueSource(booleans = {false, true})
    void policyPointersAreCompareAndSetAndVersionsAreVerified(boolean onCluster) {
        RedisStateClient redis = client(onCluster);
        StateKeys keys = keys();
        RedisPolicyVersionStore store = new RedisPolicyVersionStore(redis, keys);
        assertThat(store.live()).isEmpty();

        store.save(meta("aaaaaaaaaaaa"), YAML);
        assertThat(store.save(new PolicyVersion("search", "aaaaaaaaaaaa", "bob", null, "later", "api", 1), YAML).author())
                .as("a version is immutable: saving it again keeps the first").isEqualTo("alice");
        PolicyVersionStore.LivePointer p1 = store.activate("search", new PolicyActivation("aaaaaaaaaaaa", "publish", "alice", null, "t1"), 0);
        assertThat(p1.revision()).isPositive();
        assertThatThrownBy(() -> store.activate("search", new PolicyActivation("aaaaaaaaaaaa", "publish", "bob", null, "t2"), 0))
                .isInstanceOf(PolicyVersionStore.StaleRevisionException.class);
        assertThatThrownBy(() -> store.activate("search", new PolicyActivation("bbbbbbbbbbbb", "publish", "bob", null, "t2"), p1.revision()))
                .as("a version must be stored before it goes live").isInstanceOf(IllegalStateException.class);
        store.save(meta("bbbbbbbbbbbb"), YAML + "# b\n");
        PolicyVersionStore.LivePointer p2 = store.activate("search", new PolicyActivation("bbbbbbbbbbbb", "publish", "bob", null, "t2"), p1.revision());
        assertThat(p2.revision()).isGreaterThan(p1.revision());
        assertThat(store.live()).containsEntry("search", p2);
        assertThat(store.history("search")).extracting(PolicyActivation::version, PolicyActivation::revision)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("aaaaaaaaaaaa", p1.revision()),
                        org.assertj.core.groups.Tuple.tuple("bbbbbbbbbbbb", p2.revision()));
        assertThat(store.versions("search")).extracting(PolicyVersion::version).containsExactly("aaaaaaaaaaaa", "bbbbbbbbbbbb");
        assertThat(store.yaml("search", "aaaaaaaaaaaa")).contains(YAML);

        // a stored value whose text no longer matches its checksum is refused
        String stored = redis.send(Request.cmd(Command.GET).arg(keys.policyVersion("search", "aaaaaaaaaaaa"))).toString();
        redis.send(Request.cmd(Command.SET).arg(keys.policyVersion("search", "aaaaaaaaaaaa")).arg(stored.replace("in_stock", "in_stocc")));
        assertThatThrownBy(() -> store.yaml("search", "aaaaaaaaaaaa")).hasMessageContaining("SHA-256");
    }

    @ParameterizedTest(name = "cluster={0}")
    @ValueSource(booleans = {false, true})
    void modelsAreChunkedVerifiedAndRoutingIsCompareAndSet(boolean onCluster) {
        RedisStateClient redis = client(onCluster);
        StateKeys keys = keys();
        RedisModelArtifacts artifacts = new RedisModelArtifacts(redis, keys, 1024);
        byte[] model = new byte[5000];
        new Random(7).nextBytes(model);
        model[0] = '{';
        artifacts.publish(new ModelArtifacts.Artifact("0123456789abcdef", model, "{\"features\":[\"a\"]}".getBytes(), "ubj"));
        ModelArtifacts.Artifact back = artifacts.fetch("0123456789abcdef").orElseThrow();
        assertThat(back.model()).isEqualTo(model);
        assertThat(artifacts.list()).extracting(ModelArtifacts.Listed::version).containsExactly("0123456789abcdef");
        assertThat(artifacts.fetch("fedcba9876543210")).isEmpty();

        RedisModelAudit audit = new RedisModelAudit(redis, keys, Clock.systemUTC(), "r1");
        RedisRoutingStore routing = new RedisRoutingStore(redis, keys, audit);
        ModelsConfig.SurfaceModels a = new ModelsConfig.SurfaceModels("0123456789abcdef", List.of(), null, List.of(), null);
        assertThatThrownBy(() -> routing.commit("feed", new ModelsConfig.SurfaceModels("fedcba9876543210", List.of(), null, List.of(), null),
                0, null, 0, Map.of("actor", "x")))
                .as("routing to a version nobody registered is refused").isInstanceOf(ModelRejectedException.class);
        long r1 = routing.commit("feed", a, 0, null, 0, Map.of("actor", "alice", "action", "promote"));
        assertThatThrownBy(() -> routing.commit("feed", a, 0, null, 0, Map.of("actor", "bob")))
                .isInstanceOf(RoutingStore.StaleRoutingException.class);
        long r2 = routing.commit("feed", a, r1, "1111111111111111", 0, Map.of("actor", "bob", "action", "promote"));
        assertThat(routing.previous("feed")).containsExactly("1111111111111111");
        long r3 = routing.commit("feed", a, r2, null, 1, Map.of("actor", "carol", "action", "rollback"));
        assertThat(routing.previous("feed")).isEmpty();
        assertThat(routing.load()).containsOnlyKeys("feed");
        assertThat(routing.load().get("feed").revision()).isEqualTo(r3);
        assertThat(audit.tail(10)).extracting(e -> e.get("actor")).containsExactly("alice", "bob", "carol");

        // a damaged chunk is refused before anything can load it
        redis.send(Request.cmd(Command.SET).arg(keys.modelChunk("0123456789abcdef", 2)).arg(new byte[]{1, 2, 3}));
        assertThatThrownBy(() -> artifacts.fetch("0123456789abcdef")).isInstanceOf(ModelRejectedException.class)
                .hasMessageContaining("SHA-256");
    }

    @Test
    void switchesAndJobs() throws Exception {
        RedisStateClient redis = client(false);
        StateKeys keys = keys();
        RedisSwitchStore switches = new RedisSwitchStore(redis, keys, Clock.systemUTC());
        assertThat(switches.load()).isEqualTo(ExplorationSwitches.NONE);
        ExplorationSwitches s = switches.set(null, true, "ops");
        assertThat(s.killSwitch()).isTrue();
        assertThat(switches.set("feed", true, "ops").pausedSurfaces()).containsExactly("feed");
        ExplorationSwitches now = switches.set("feed", false, "ops");
        assertThat(now.pausedSurfaces()).isEmpty();
        assertThat(now.killSwitch()).isTrue();
        assertThat(now.revision()).isGreaterThan(s.revision());
        assertThat(now.changedBy()).isEqualTo("ops");

        try (RedisJobStore jobs = new RedisJobStore(redis, keys, Duration.ofMinutes(1))) {
            Map<String, Object> view = new LinkedHashMap<>(Map.of("jobId", "j1", "status", "running", "created", "2026"));
            jobs.running("j1", true);
            jobs.save("j1", view);
            assertThat(jobs.load("j1")).get().extracting(JobStore.Stored::alive).isEqualTo(true);
            jobs.running("j1", false); // what a dead replica amounts to once its key expired
            assertThat(jobs.load("j1")).get().extracting(JobStore.Stored::alive).isEqualTo(false);
            assertThat(jobs.recent(10)).extracting(v -> v.get("jobId")).containsExactly("j1");
            assertThat(jobs.load("nope")).isEmpty();
            // DELETE /v1/replay/{id} of a finished job: gone from every replica's view and list
            assertThat(jobs.delete("j1")).isTrue();
            assertThat(jobs.load("j1")).isEmpty();
            assertThat(jobs.recent(10)).isEmpty();
            assertThat(jobs.delete("j1")).isFalse();
        }
    }

    @Test
    void oncePerClusterRunsTheWorkOnceWhileTheOthersWait() throws Exception {
        StateKeys keys = keys();
        AtomicInteger runs = new AtomicInteger();
        AtomicInteger doneFlag = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RedisOncePerCluster once = new RedisOncePerCluster(client(false), keys, Duration.ofSeconds(30));
            Thread t = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                once.run("demo", () -> doneFlag.get() == 1, () -> {
                    runs.incrementAndGet();
                    try {
                        Thread.sleep(700);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    doneFlag.set(1);
                });
            });
            t.start();
            threads.add(t);
        }
        go.countDown();
        for (Thread t : threads) t.join(20_000);
        assertThat(runs).hasValue(1);
        assertThat(doneFlag).hasValue(1);
    }

    @Test
    void aWriteThatTimesOutWhileRedisIsPausedIsNeverAppliedLater() throws Exception {
        try (RedisServerHarness own = RedisServerHarness.standalone();
             RedisStateClient redis = RedisStateClient.standalone(own.hostList(), false, Duration.ofMillis(500))) {
            StateKeys keys = keys();
            RedisPolicyVersionStore store = new RedisPolicyVersionStore(redis, keys);
            store.save(meta("aaaaaaaaaaaa"), YAML);
            store.save(meta("bbbbbbbbbbbb"), YAML + "# b\n");
            PolicyVersionStore.LivePointer p1 = store.activate("search", new PolicyActivation("aaaaaaaaaaaa", "publish", "a", null, "t"), 0);
            own.pause();
            try {
                assertThatThrownBy(() -> store.activate("search", new PolicyActivation("bbbbbbbbbbbb", "publish", "b", null, "t"), p1.revision()))
                        .isInstanceOf(StateUnavailableException.class);
                Thread.sleep(1200); // past the script's deadline
            } finally {
                own.resume();
            }
            // the queued script runs now, finds its deadline passed, and changes nothing
            long until = System.currentTimeMillis() + 5000;
            while (System.currentTimeMillis() < until) {
                try {
                    assertThat(store.live("search")).contains(p1);
                    break;
                } catch (StateUnavailableException e) {
                    Thread.sleep(100);
                }
            }
            Thread.sleep(300);
            assertThat(store.live("search")).as("the write answered 503 was not applied afterwards").contains(p1);
            assertThat(store.history("search")).hasSize(1);
        }
    }

    @Test
    void changeNoticesReachTheWatcherWithoutWaitingForTheNextCheck() throws Exception {
        RedisStateClient writer = client(true);
        RedisStateClient reader = client(true);
        {
            StateKeys keys = keys();
            AtomicInteger switchSyncs = new AtomicInteger();
            // a periodic check far away: only the notice (PUBLISH on a Redis Cluster node) can trigger the reload
            StateWatcher w = new StateWatcher(reader, keys, Duration.ofMinutes(5))
                    .register(new StateWatcher.Kind("switches", switchSyncs::incrementAndGet, () -> true));
            try {
                w.start();
                await(w::ready, 5000);
                RedisSwitchStore switches = new RedisSwitchStore(writer, keys, Clock.systemUTC());
                switches.load(); // a fresh cluster client's first command learns the slots (about a second)
                Thread.sleep(300); // the subscription is on its way
                for (int i = 0; i < 3; i++) {
                    int before = switchSyncs.get();
                    long t0 = System.nanoTime();
                    switches.set("feed", i % 2 == 0, "ops");
                    await(() -> switchSyncs.get() > before, 2000);
                    System.out.printf("switch flip to reload via notice: %.1f ms%n", (System.nanoTime() - t0) / 1e6);
                }
            } finally {
                w.close();
            }
        }
    }

    @Test
    void theWatcherReloadsWhatChangedAndReportsStalenessWhileRedisIsPaused() throws Exception {
        try (RedisServerHarness own = RedisServerHarness.standalone();
             RedisStateClient writer = RedisStateClient.standalone(own.hostList(), false, Duration.ofMillis(500));
             RedisStateClient reader = RedisStateClient.standalone(own.hostList(), false, Duration.ofMillis(300))) {
            StateKeys keys = keys();
            AtomicInteger policySyncs = new AtomicInteger();
            AtomicInteger switchSyncs = new AtomicInteger();
            StateWatcher w = new StateWatcher(reader, keys, Duration.ofMillis(200))
                    .register(new StateWatcher.Kind("policies", policySyncs::incrementAndGet, () -> true))
                    .register(new StateWatcher.Kind("switches", switchSyncs::incrementAndGet, () -> true));
            try {
                w.start();
                await(w::ready, 5000);
                int p0 = policySyncs.get();
                int s0 = switchSyncs.get();
                new RedisSwitchStore(writer, keys, Clock.systemUTC()).set(null, true, "ops");
                await(() -> switchSyncs.get() > s0, 2000);
                Thread.sleep(500);
                assertThat(policySyncs).as("only the kind that changed is reloaded").hasValue(p0);
                assertThat(w.stalenessSeconds()).isLessThan(1.0);

                own.pause();
                try {
                    Thread.sleep(2000);
                    assertThat(w.stalenessSeconds()).isGreaterThan(1.0);
                    assertThat(w.lastError()).isNotNull();
                } finally {
                    own.resume();
                }
                await(() -> w.stalenessSeconds() < 1.0, 5000);
            } finally {
                w.close();
            }
        }
    }

    static void await(java.util.function.BooleanSupplier condition, long millis) throws InterruptedException {
        long until = System.currentTimeMillis() + millis;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > until) throw new AssertionError("condition not met within " + millis + " ms");
            Thread.sleep(20);
        }
    }
}
