package io.ranker.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One service replica in its own JVM, started from the packaged fast-jar ({@code target/quarkus-app/quarkus-run.jar})
 * with its own HTTP port, data directory, replica id and environment. Its stdout and stderr go to one log file
 * ({@link #logFile}), appended across restarts with a marker line per start, and every failure this class reports
 * carries the tail of that log. Built by {@link ServiceCluster}; see there for the environment it sets.
 * <p>
 * Lifecycle: {@link #start} launches the JVM, {@link #awaitReady} waits for {@code /q/health/ready} to answer 200;
 * {@link #kill} is {@code kill -9} of the JVM and its descendants; {@link #stop} is a graceful SIGTERM;
 * {@link #restart} starts it again on the same data directory (and port); {@link #pause}/{@link #resume} are
 * SIGSTOP/SIGCONT (a hung replica rather than a dead one).
 */
public final class ServiceProcess implements AutoCloseable {
    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** What the last start cost: wall time to ready, and the JVM's own CPU time when it became ready. */
    public record StartCost(Duration wall, Duration cpu, boolean classDataArchive) {
        @Override
        public String toString() {
            return String.format("%.1f s wall, %.1f s CPU%s", wall.toMillis() / 1000.0, cpu.toMillis() / 1000.0,
                    classDataArchive ? " (AppCDS)" : "");
        }
    }

    private final String replicaId;
    private final Path dataDir;
    private final Path logFile;
    private final Path jar;
    private final Path workDir;
    private final List<String> jvmOptions;
    private final Map<String, String> env;
    private final String adminToken;
    private final ClassDataArchive archive;

    private volatile int port;
    private volatile int managementPort;
    private volatile Process process;
    private volatile RankerClient client;
    private long logOffset;
    private long launchedAt;
    private int starts;
    private ClassDataArchive.Use archiveUse;
    private StartCost lastStart;

    ServiceProcess(String replicaId, Path dataDir, Path logFile, Path jar, Path workDir, List<String> jvmOptions,
                   Map<String, String> env, String adminToken, ClassDataArchive archive) {
        this.replicaId = replicaId;
        this.dataDir = dataDir;
        this.logFile = logFile;
        this.jar = jar;
        this.workDir = workDir;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.env = new LinkedHashMap<>(env);
        this.adminToken = adminToken;
        this.archive = archive;
    }

    public String replicaId() { return replicaId; }

    public int port() { return port; }

    public URI baseUri() { return URI.create("http://127.0.0.1:" + port + "/"); }

    /** The management interface (health, metrics, OpenAPI): a port of its own. */
    public URI managementUri() { return URI.create("http://127.0.0.1:" + managementPort + "/"); }

    public Path dataDir() { return dataDir; }

    public Path logFile() { return logFile; }

    /** The environment the JVM gets on top of the inherited one (QUARKUS_* and RANKING_* from outside are dropped). */
    public Map<String, String> environment() { return Map.copyOf(env); }

    public RankerClient client() {
        RankerClient c = client;
        if (c == null) throw new IllegalStateException(replicaId + " was never started");
        return c;
    }

    public boolean isAlive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    public long pid() {
        Process p = process;
        if (p == null) throw new IllegalStateException(replicaId + " was never started");
        return p.pid();
    }

    /** The cost of the last start that reached ready, or null. */
    public StartCost lastStart() { return lastStart; }

    /** Launches the JVM (does not wait); a new free port is chosen on the first start, the same port afterwards. */
    public synchronized ServiceProcess start() {
        if (isAlive()) throw new IllegalStateException(replicaId + " is already running (pid " + process.pid() + ")");
        if (port == 0) port = freePort();
        if (managementPort == 0) managementPort = freePort();
        launch();
        return this;
    }

    private void launch() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("ranker.it.java", Path.of(System.getProperty("java.home"), "bin", "java").toString())).toString());
        cmd.addAll(jvmOptions);
        archiveUse = archive == null ? null : archive.next();
        if (archiveUse != null) cmd.addAll(archiveUse.jvmOptions());
        cmd.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        Map<String, String> e = pb.environment();
        // the test JVM's own QUARKUS_/RANKING_ settings (a developer's shell, CI) must not leak into a replica
        e.keySet().removeIf(k -> k.startsWith("QUARKUS_") || k.startsWith("RANKING_"));
        e.putAll(env);
        e.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        e.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(managementPort));
        e.put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
        try {
            Files.createDirectories(dataDir);
            Files.createDirectories(logFile.getParent());
            starts++;
            String marker = "\n=== harness: start #" + starts + " of " + replicaId + " at " + Instant.now() + ", port " + port
                    + ", data dir " + dataDir + "\n=== " + String.join(" ", cmd) + "\n";
            Files.writeString(logFile, marker, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            logOffset = Files.size(logFile);
            launchedAt = System.nanoTime();
            process = pb.start();
            client = new RankerClient(replicaId, baseUri(), managementUri(), adminToken);
        } catch (IOException ex) {
            throw new IllegalStateException(replicaId + ": could not start " + cmd + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Waits until {@code /q/health/ready} (management port) answers 200. Fails at once (AssertionError with the log) if the JVM exits;
     * a JVM that lost its port to another process between our probe and its bind is restarted on another port.
     */
    public ServiceProcess awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int portRetries = 0; ; ) {
            Process p = process;
            if (p == null) throw new IllegalStateException(replicaId + " was never started");
            if (client.ready()) {
                Duration cpu = p.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
                lastStart = new StartCost(Duration.ofNanos(System.nanoTime() - launchedAt), cpu, archiveUse != null && archiveUse.reads());
                return this;
            }
            if (!p.isAlive()) {
                String out = logSinceStart();
                afterExit(false);
                if (portRetries++ < 3 && (out.contains("Port already bound") || out.contains("Address already in use"))) {
                    port = freePort();
                    managementPort = freePort();
                    launch();
                    continue;
                }
                throw new AssertionError(replicaId + " exited with status " + p.exitValue() + " before it was ready\n" + describe(200));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(replicaId + " not ready within " + timeout.toSeconds() + " s\n" + describe(200));
            }
            sleep(100);
        }
    }

    public ServiceProcess startAndAwaitReady(Duration timeout) {
        return start().awaitReady(timeout);
    }

    /** {@code kill -9} of the JVM and its descendants, then waits for it to be gone. */
    public synchronized void kill() {
        Process p = process;
        if (p == null || !p.isAlive()) return;
        ProcessHandle h = p.toHandle();
        h.descendants().forEach(ProcessHandle::destroyForcibly);
        h.destroyForcibly();
        waitGone(p, Duration.ofSeconds(30));
        afterExit(true);
    }

    /** Graceful stop (SIGTERM: Quarkus shuts down and closes the index); {@code kill -9} after the timeout. */
    public synchronized void stop(Duration timeout) {
        Process p = process;
        if (p == null || !p.isAlive()) return;
        signal("CONT"); // a paused JVM would not act on SIGTERM
        p.destroy();
        // the JVM writing the class data archive dumps it at exit: several seconds on a busy machine
        boolean writing = archiveUse != null && archiveUse.writes() != null;
        boolean graceful = waitGone(p, writing ? timeout.plusSeconds(60) : timeout);
        if (!graceful) {
            p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            waitGone(p, Duration.ofSeconds(30));
        }
        afterExit(!graceful);
    }

    /** Starts the stopped or killed replica again on the same data directory and port, and waits for ready. */
    public ServiceProcess restart(Duration timeout) {
        if (isAlive()) throw new IllegalStateException(replicaId + " is still running: kill() or stop() it first");
        return start().awaitReady(timeout);
    }

    /** SIGSTOP: the JVM keeps its sockets open and answers nothing. */
    public void pause() {
        signal("STOP");
    }

    /** SIGCONT. */
    public void resume() {
        signal("CONT");
    }

    private void signal(String sig) {
        Process p = process;
        if (p == null || !p.isAlive()) return;
        try {
            Process k = new ProcessBuilder("kill", "-" + sig, String.valueOf(p.pid())).redirectErrorStream(true).start();
            if (!k.waitFor(10, TimeUnit.SECONDS)) k.destroyForcibly();
        } catch (IOException e) {
            throw new IllegalStateException("kill -" + sig + " " + p.pid() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void afterExit(boolean killed) {
        if (archive != null) archive.afterExit(archiveUse, killed);
    }

    private static boolean waitGone(Process p, Duration timeout) {
        try {
            return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The last lines of the log (all starts), for failure messages. */
    public String logTail(int lines) {
        try {
            if (!Files.exists(logFile)) return "(no log yet)";
            try (RandomAccessFile f = new RandomAccessFile(logFile.toFile(), "r")) {
                long len = f.length();
                long from = Math.max(0, len - 256L * 1024);
                byte[] buf = new byte[(int) (len - from)];
                f.seek(from);
                f.readFully(buf);
                String[] all = new String(buf, StandardCharsets.UTF_8).split("\n", -1);
                int first = Math.max(0, all.length - lines);
                return String.join("\n", java.util.Arrays.copyOfRange(all, first, all.length));
            }
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    private String logSinceStart() {
        try {
            byte[] all = Files.readAllBytes(logFile);
            int from = (int) Math.min(all.length, logOffset);
            return new String(all, from, all.length - from, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** State and log tail, as shown in failure messages. */
    public String describe(int lines) {
        Process p = process;
        String state = p == null ? "never started" : p.isAlive() ? "running, pid " + p.pid() : "exited " + p.exitValue();
        return "--- replica " + replicaId + " (" + state + ", port " + port + ", data " + dataDir + ")\n--- log " + logFile
                + ", last " + lines + " lines:\n" + logTail(lines) + "\n";
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(20));
    }

    @Override
    public String toString() {
        return replicaId + "@" + port;
    }

    /**
     * A port free now and never handed to another replica of this test JVM (two probes in a row may get the same
     * port back from the kernel, and a replica answering on another's port would fool the ready check).
     */
    static int freePort() {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new InetSocketAddress("127.0.0.1", 0));
                if (HANDED_OUT.add(s.getLocalPort())) return s.getLocalPort();
            } catch (IOException e) {
                throw new IllegalStateException("no free port: " + e.getMessage(), e);
            }
        }
        throw new IllegalStateException("no free port not handed out already");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
