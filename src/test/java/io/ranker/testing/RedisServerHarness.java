package io.ranker.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Starts real {@code redis-server} processes for tests: one standalone node, or a Redis Cluster of N masters
 * joined with {@code redis-cli --cluster create}. Each node gets a free port (and, for a cluster, a free bus port
 * at port + 10000), its own temporary directory, no persistence; {@link #start} returns only when every node
 * answers PING (and the cluster reports {@code cluster_state:ok}). {@link #close} kills the processes (resuming
 * paused ones first) and deletes the directories; a JVM shutdown hook does the same if a test forgets.
 *
 * <pre>
 *   try (RedisServerHarness redis = RedisServerHarness.standalone()) { ... redis.hosts() ... redis.pause(); }
 *   try (RedisServerHarness cluster = RedisServerHarness.cluster(3)) { ... }
 * </pre>
 * As a Quarkus test resource: {@code @WithTestResource(RedisServerHarness.class)} (add init arg
 * {@code cluster=3} for a cluster) sets {@code quarkus.redis.hosts}, {@code quarkus.redis.client-type} and
 * {@code ranking.features.store=redis}; a field {@code @InjectRedisHarness RedisServerHarness redis;} of the test
 * receives the running harness (to pause it).
 */
public final class RedisServerHarness implements AutoCloseable, QuarkusTestResourceLifecycleManager {
    private final List<Node> nodes = new ArrayList<>();
    private int clusterMasters;
    private Path root;
    private Thread shutdownHook;

    private record Node(int port, Process process, Path dir) {
    }

    /** For Quarkus (test resource); use the factories in tests. */
    public RedisServerHarness() {
    }

    public static RedisServerHarness standalone() {
        RedisServerHarness h = new RedisServerHarness();
        h.launch(0);
        return h;
    }

    public static RedisServerHarness cluster(int masters) {
        RedisServerHarness h = new RedisServerHarness();
        h.launch(masters);
        return h;
    }

    @Override
    public void init(Map<String, String> initArgs) {
        clusterMasters = Integer.parseInt(initArgs.getOrDefault("cluster", "0"));
    }

    @Override
    public Map<String, String> start() {
        launch(clusterMasters);
        return Map.of("quarkus.redis.hosts", hosts(),
                "quarkus.redis.client-type", isCluster() ? "cluster" : "standalone",
                "ranking.features.store", "redis");
    }

    @Override
    public void stop() {
        close();
    }

    /** Injects this harness into the test's {@link InjectRedisHarness} fields (to pause Redis mid-test). */
    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(this, new TestInjector.AnnotatedAndMatchesType(InjectRedisHarness.class, RedisServerHarness.class));
    }

    public boolean isCluster() {
        return clusterMasters > 0;
    }

    /** {@code redis://127.0.0.1:port} per node, comma-separated ({@code quarkus.redis.hosts} format). */
    public String hosts() {
        return nodes.stream().map(n -> "redis://127.0.0.1:" + n.port()).collect(Collectors.joining(","));
    }

    public List<String> hostList() {
        return nodes.stream().map(n -> "redis://127.0.0.1:" + n.port()).toList();
    }

    public List<Integer> ports() {
        return nodes.stream().map(Node::port).toList();
    }

    public int port() {
        return nodes.get(0).port();
    }

    public long pid(int node) {
        return nodes.get(node).process().pid();
    }

    /** SIGSTOP every node: connections stay open, nothing answers (a hung server, not a dead one). */
    public void pause() {
        for (Node n : nodes) signal(n.process(), "STOP");
    }

    /** SIGCONT every node. */
    public void resume() {
        for (Node n : nodes) signal(n.process(), "CONT");
    }

    /** SIGKILL every node (a crashed server: connections reset, nothing listens); {@link #restart} brings them back. */
    public synchronized void kill() {
        for (Node n : nodes) {
            n.process().destroyForcibly();
            try {
                n.process().waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Starts killed standalone nodes again on the same ports (empty: no persistence). */
    public synchronized void restart() {
        if (isCluster()) throw new UnsupportedOperationException("restart is for standalone nodes");
        for (int i = 0; i < nodes.size(); i++) {
            Node old = nodes.get(i);
            if (old.process().isAlive()) continue;
            try {
                Process p = new ProcessBuilder(serverCommand(old.port(), old.dir(), false)).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(old.dir().resolve("stdout.log").toFile())).start();
                Node n = new Node(old.port(), p, old.dir());
                nodes.set(i, n);
                awaitPing(n);
            } catch (IOException e) {
                throw new IllegalStateException("could not restart redis-server on port " + old.port() + ": " + e.getMessage(), e);
            }
        }
    }

    /** Runs {@code redis-cli} against node 0 (or the cluster with -c) and returns its output. */
    public String cli(String... args) {
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "-p", String.valueOf(port())));
        if (isCluster()) cmd.add("-c");
        cmd.addAll(List.of(args));
        return run(cmd, 10);
    }

    private synchronized void launch(int masters) {
        if (!nodes.isEmpty()) throw new IllegalStateException("already started");
        clusterMasters = masters;
        try {
            root = Files.createTempDirectory("ranker-redis-");
            shutdownHook = new Thread(this::close, "redis-harness-cleanup");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
            int count = Math.max(1, masters);
            for (int i = 0; i < count; i++) nodes.add(startNode(i, masters > 0));
            for (Node n : nodes) awaitPing(n);
            if (masters > 0) createCluster();
        } catch (Exception e) {
            close();
            throw new IllegalStateException("could not start redis-server (is it installed?): " + e.getMessage(), e);
        }
    }

    private Node startNode(int index, boolean cluster) throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 10; attempt++) {
            int port = freePort(cluster);
            Path dir = Files.createDirectories(root.resolve("node-" + index + "-" + port));
            Process p = new ProcessBuilder(serverCommand(port, dir, cluster)).redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
            Node n = new Node(port, p, dir);
            try {
                awaitPing(n);
                return n;
            } catch (IOException e) { // port taken between probe and bind: try another
                p.destroyForcibly();
                last = e;
            }
        }
        throw last;
    }

    private static List<String> serverCommand(int port, Path dir, boolean cluster) {
        List<String> cmd = new ArrayList<>(List.of("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--dir", dir.toString(), "--save", "", "--appendonly", "no", "--daemonize", "no",
                "--protected-mode", "no", "--loglevel", "warning", "--logfile", dir.resolve("redis.log").toString()));
        if (cluster) {
            cmd.addAll(List.of("--cluster-enabled", "yes", "--cluster-config-file", dir.resolve("nodes.conf").toString(),
                    "--cluster-node-timeout", "5000"));
        }
        return cmd;
    }

    private void createCluster() throws IOException {
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        for (Node n : nodes) cmd.add("127.0.0.1:" + n.port());
        cmd.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        String out = run(cmd, 60);
        if (!out.contains("[OK] All 16384 slots covered")) throw new IOException("cluster create failed:\n" + out);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (Node n : nodes) {
            while (!command(n.port(), "CLUSTER", "INFO").contains("cluster_state:ok")) {
                if (System.nanoTime() > deadline) throw new IOException("cluster did not reach cluster_state:ok");
                sleep(50);
            }
        }
    }

    private static void awaitPing(Node n) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            if (!n.process().isAlive()) throw new IOException("redis-server on port " + n.port() + " exited: " + readLog(n));
            try {
                if (command(n.port(), "PING").startsWith("+PONG")) return;
            } catch (IOException ignored) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) throw new IOException("redis-server on port " + n.port() + " did not answer PING");
            sleep(20);
        }
    }

    private static String readLog(Node n) {
        try {
            return Files.readString(n.dir().resolve("redis.log")) + Files.readString(n.dir().resolve("stdout.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** Sends one RESP command and returns the first reply line (or the bulk payload), for readiness checks. */
    private static String command(int port, String... args) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            s.setSoTimeout(2000);
            StringBuilder req = new StringBuilder("*" + args.length + "\r\n");
            for (String a : args) req.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            String first = in.readLine();
            if (first == null) throw new IOException("connection closed");
            if (!first.startsWith("$")) return first;
            int len = Integer.parseInt(first.substring(1));
            char[] buf = new char[Math.max(0, len)];
            int read = 0;
            while (read < len) {
                int r = in.read(buf, read, len - read);
                if (r < 0) break;
                read += r;
            }
            return new String(buf, 0, read);
        }
    }

    private static int freePort(boolean needBusPort) throws IOException {
        for (int attempt = 0; attempt < 200; attempt++) {
            // cluster bus = port + 10000 must be free and valid too; stay clear of the ephemeral range
            int port = needBusPort ? ThreadLocalRandom.current().nextInt(20000, 30000) : 0;
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new InetSocketAddress("127.0.0.1", port));
                int chosen = s.getLocalPort();
                if (!needBusPort) return chosen;
                try (ServerSocket bus = new ServerSocket()) {
                    bus.bind(new InetSocketAddress("127.0.0.1", chosen + 10000));
                    return chosen;
                }
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free port found");
    }

    private static void signal(Process p, String sig) {
        if (p.isAlive()) run(List.of("kill", "-" + sig, String.valueOf(p.pid())), 10);
    }

    private static String run(List<String> cmd, int timeoutSeconds) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(cmd + " timed out");
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(cmd + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void close() {
        for (Node n : nodes) {
            Process p = n.process();
            if (!p.isAlive()) continue;
            signal(p, "CONT"); // a stopped process would not act on SIGTERM
            p.destroy();
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        nodes.clear();
        if (root != null) {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException ignored) {
                // best effort: it is a temp dir
            }
            root = null;
        }
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException ignored) {
                // JVM already shutting down
            }
            shutdownHook = null;
        }
    }
}
