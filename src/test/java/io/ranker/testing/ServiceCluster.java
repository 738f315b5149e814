package io.ranker.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * Several real service replicas, each its own JVM started from the packaged jar, optionally against a real
 * {@code redis-server} (or a real 3-master Redis Cluster) started by {@link RedisServerHarness}: the test bed of the
 * multi-replica work (issues 12-14). No Docker, no mocks.
 *
 * <h2>How the multi-JVM tests run</h2>
 * They are {@code *IT.java} classes run by maven-failsafe in {@code mvn verify}, after {@code package} has built
 * {@code target/quarkus-app/quarkus-run.jar} ({@code -DskipITs} skips them). They need {@code redis-server} and
 * {@code redis-cli} on the PATH, as the Redis unit tests do. Use a cluster as a JUnit extension (started before the
 * class's first test, stopped after its last; a failing test's message gets every replica's log tail appended):
 * <pre>
 *   &#64;RegisterExtension
 *   static final ServiceCluster cluster = ServiceCluster.builder().replicas(3).redisStandalone().build();
 *   ... cluster.replica(0).client().publishPolicy("search", yaml); cluster.redis().pause(); cluster.replica(1).kill(); ...
 * </pre>
 * or with try-with-resources ({@code start()} / {@code close()}).
 *
 * <h2>What each replica gets</h2>
 * A free HTTP port on 127.0.0.1; a data directory {@code target/it-replicas/<cluster>/<replica>/data} (wiped when
 * the cluster starts, kept afterwards for inspection) holding the index, models, policy versions and logs, and its
 * own {@code models.yaml} (so promotions never rewrite the checkout's); its log {@code .../<replica>/replica.log}
 * (stdout and stderr, appended across restarts); {@code RANKING_REPLICA_ID}; the admin token {@link #ADMIN_TOKEN};
 * the checkout's {@code ranking-config/}; with Redis, {@code RANKING_STATE_STORE=redis},
 * {@code RANKING_FEATURES_STORE=redis}, {@code QUARKUS_REDIS_HOSTS} and {@code QUARKUS_REDIS_CLIENT_TYPE}; and a
 * small demo (200 items, a demo model trained on 500 simulated requests with 30 trees) so a fresh replica is
 * ready in about 5 s of CPU instead of 13 s with 3,000 requests and 100 trees ({@link Builder#demoItems} and
 * {@link Builder#env} change any of it).
 *
 * <h2>Start cost</h2>
 * The JVMs run C1 only ({@code -XX:TieredStopAtLevel=1}: start-up and the demo training cost less CPU than with
 * C2: 12 s against 20 s for a fresh default replica), the serial collector, a 512 MB heap, and a dynamic AppCDS
 * archive written by the first replica that exits gracefully ({@link ClassDataArchive}).
 * {@link ServiceProcess#lastStart} reports each start's wall and CPU time. Measured (CPU of the replica's JVM at
 * ready, Redis features): a fresh replica 4.2-5.4 s with the archive (6.0-7.9 s without), a restart on its data
 * directory 1.9-2.2 s (3.0-3.5 s without). Wall time is CPU time when the machine is idle and grows with what else
 * runs (three fresh replicas in parallel: 24-86 s wall on the shared 2-core box at load 15-25).
 */
public final class ServiceCluster implements AutoCloseable, BeforeAllCallback, AfterAllCallback,
        TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {
    public static final String ADMIN_TOKEN = "it-admin-token";
    /** The impression signing secret every replica of a cluster shares (base64 of 32 bytes). */
    public static final String IMPRESSION_KEY = "aXQtaW1wcmVzc2lvbi1zaWduaW5nLXNlY3JldC0zMmJ5dGVz";
    public static final Duration READY_TIMEOUT = Duration.ofSeconds(Long.getLong("ranker.it.ready-timeout-s", 300));

    /** Which Redis the replicas share. */
    public enum Redis { NONE, STANDALONE, CLUSTER }

    private final Builder spec;
    private final List<ServiceProcess> replicas = new CopyOnWriteArrayList<>();
    private RedisServerHarness redis;
    private Path project;
    private Path jar;
    private Path baseDir;
    private ClassDataArchive archive;
    private String name;

    private ServiceCluster(Builder spec) {
        this.spec = spec;
        this.name = spec.name;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private int replicas = 3;
        private Redis redisMode = Redis.NONE;
        private int clusterMasters = 3;
        private RedisServerHarness sharedRedis;
        private String name;
        private int demoItems = 200;
        private final Map<String, String> env = new LinkedHashMap<>();
        private final List<String> jvmOptions = new ArrayList<>(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Xms64m", "-Xmx512m", "-XX:-UsePerfData", "-Djava.awt.headless=true"));
        private boolean classDataArchive = true;

        public Builder replicas(int n) {
            if (n < 1) throw new IllegalArgumentException("replicas >= 1");
            this.replicas = n;
            return this;
        }

        /** One standalone redis-server, started and stopped with the cluster. */
        public Builder redisStandalone() {
            this.redisMode = Redis.STANDALONE;
            return this;
        }

        /** A Redis Cluster of {@code masters} masters, started and stopped with the cluster. */
        public Builder redisCluster(int masters) {
            this.redisMode = Redis.CLUSTER;
            this.clusterMasters = masters;
            return this;
        }

        /** A Redis the caller owns (not stopped with the cluster). */
        public Builder redis(RedisServerHarness running) {
            this.sharedRedis = running;
            this.redisMode = running.isCluster() ? Redis.CLUSTER : Redis.STANDALONE;
            return this;
        }

        /** Directory name under target/it-replicas (default: the test class's simple name, or "cluster"). */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Demo items seeded on an empty data directory (0: none, the production mode). */
        public Builder demoItems(int n) {
            this.demoItems = n;
            return this;
        }

        /** An environment variable for every replica (overrides the harness's own). */
        public Builder env(String key, String value) {
            env.put(key, value);
            return this;
        }

        public Builder jvmOption(String option) {
            jvmOptions.add(option);
            return this;
        }

        /** Without the AppCDS archive (to measure what it saves). */
        public Builder withoutClassDataArchive() {
            classDataArchive = false;
            return this;
        }

        public ServiceCluster build() {
            return new ServiceCluster(this);
        }
    }

    /** Starts Redis (unless shared) and every replica in parallel, and waits until all are ready. */
    public synchronized ServiceCluster start() {
        if (baseDir != null) throw new IllegalStateException("already started");
        if (name == null) name = "cluster";
        project = Path.of(System.getProperty("ranker.it.project-dir", System.getProperty("user.dir"))).toAbsolutePath();
        jar = Path.of(System.getProperty("ranker.it.jar", project.resolve("target/quarkus-app/quarkus-run.jar").toString()));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no packaged service at " + jar + ": multi-JVM tests run in `mvn verify` after package"
                    + " (or run `mvn package -DskipTests` first)");
        }
        baseDir = project.resolve("target/it-replicas").resolve(name);
        deleteTree(baseDir);
        archive = spec.classDataArchive ? ClassDataArchive.forJar(jar, System.getProperty("java.home"), project.resolve("target/it-cds")) : null;
        try {
            redis = switch (spec.redisMode) {
                case NONE -> null;
                case STANDALONE -> spec.sharedRedis != null ? spec.sharedRedis : RedisServerHarness.standalone();
                case CLUSTER -> spec.sharedRedis != null ? spec.sharedRedis : RedisServerHarness.cluster(spec.clusterMasters);
            };
            List<ServiceProcess> started = new ArrayList<>();
            for (int i = 0; i < spec.replicas; i++) started.add(newReplica(Map.of()).start());
            for (ServiceProcess p : started) p.awaitReady(READY_TIMEOUT);
        } catch (RuntimeException | Error e) {
            String logs = logs(120);
            close();
            throw new AssertionError("the cluster did not start: " + e.getMessage() + "\n" + logs, e);
        }
        return this;
    }

    /** A further replica (e.g. "a fourth replica started later"), started and ready. */
    public ServiceProcess addReplica() {
        return addReplica(Map.of());
    }

    public ServiceProcess addReplica(Map<String, String> extraEnv) {
        return newReplica(extraEnv).startAndAwaitReady(READY_TIMEOUT);
    }

    private synchronized ServiceProcess newReplica(Map<String, String> extraEnv) {
        if (baseDir == null) throw new IllegalStateException("start() the cluster first");
        String id = "r" + (replicas.size() + 1);
        Path dir = baseDir.resolve(id);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("RANKING_REPLICA_ID", id);
        env.put("RANKING_DATA_DIR", dir.resolve("data").toString());
        env.put("RANKING_CONFIG_DIR", project.resolve("ranking-config").toString());
        env.put("RANKING_MODELS_FILE", dir.resolve("data/models.yaml").toString());
        env.put("RANKING_ADMIN_TOKEN", ADMIN_TOKEN);
        // every replica must verify the impression ids the others sign (feedback may reach any of them)
        env.put("RANKING_AUTH_IMPRESSION_KEYS", IMPRESSION_KEY);
        env.put("RANKING_CATALOG_DEMO_ITEMS", String.valueOf(spec.demoItems));
        env.put("RANKING_MODELS_DEMO_REQUESTS", "500");
        env.put("RANKING_MODELS_DEMO_ROUNDS", "30");
        if (redis != null) {
            env.put("RANKING_STATE_STORE", "redis");
            env.put("RANKING_FEATURES_STORE", "redis");
            env.put("QUARKUS_REDIS_HOSTS", redis.hosts());
            env.put("QUARKUS_REDIS_CLIENT_TYPE", redis.isCluster() ? "cluster" : "standalone");
        }
        env.putAll(spec.env);
        env.putAll(extraEnv);
        ServiceProcess p = new ServiceProcess(id, dir.resolve("data"), dir.resolve("replica.log"), jar, project, spec.jvmOptions, env,
                ADMIN_TOKEN, archive);
        replicas.add(p);
        return p;
    }

    public ServiceProcess replica(int index) {
        return replicas.get(index);
    }

    public List<ServiceProcess> replicas() {
        return List.copyOf(replicas);
    }

    /** The shared Redis, or null without one. */
    public RedisServerHarness redis() {
        return redis;
    }

    /** The checkout the replicas run from (their working directory; ranking-config/ is there). */
    public Path projectDir() {
        return project;
    }

    /** target/it-replicas/&lt;name&gt;: every replica's directory (a place for a shared log root, snapshots...). */
    public Path baseDir() {
        return baseDir;
    }

    /** Every replica's state and log tail. */
    public String logs(int linesPerReplica) {
        StringBuilder b = new StringBuilder();
        for (ServiceProcess p : replicas) b.append(p.describe(linesPerReplica));
        if (redis != null) b.append("--- redis ").append(redis.hosts()).append('\n');
        return b.toString();
    }

    /** Stops every replica (gracefully, so the first writes the AppCDS archive), then Redis unless shared. */
    @Override
    public synchronized void close() {
        List<Thread> stops = new ArrayList<>();
        for (ServiceProcess p : replicas) {
            Thread t = new Thread(() -> p.stop(Duration.ofSeconds(20)), "stop-" + p.replicaId());
            t.start();
            stops.add(t);
        }
        for (Thread t : stops) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        replicas.forEach(ServiceProcess::kill); // anything a stop left behind
        if (redis != null && spec.sharedRedis == null) redis.close();
        redis = null;
    }

    // ---- JUnit extension ----

    @Override
    public void beforeAll(ExtensionContext context) {
        if (name == null) name = context.getRequiredTestClass().getSimpleName();
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable t) throws Throwable {
        throw withLogs(t);
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable t) throws Throwable {
        throw withLogs(t);
    }

    @Override
    public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable t) throws Throwable {
        throw withLogs(t);
    }

    /** The failure with every replica's log tail appended to its message (the original stays as the cause). */
    public Throwable withLogs(Throwable t) {
        if (replicas.isEmpty() || (t.getMessage() != null && t.getMessage().contains("\n--- replica "))) return t;
        AssertionError e = new AssertionError(t.getMessage() + "\n\nreplica logs (full logs under " + baseDir + "):\n" + logs(60), t);
        e.setStackTrace(t.getStackTrace());
        return e;
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new IllegalStateException("cannot clear " + dir + ": " + e.getMessage(), e);
        }
    }
}
