package io.ranker.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real single-node Kafka broker in KRaft mode (broker and controller in one process) for tests, started in a
 * child JVM from the Kafka server artifacts on Maven Central ({@value #KAFKA} and its dependencies, resolved by
 * {@link MavenClasspath}; the server's Scala, Jackson and log4j never meet Quarkus on the test classpath). No Docker.
 * <p>
 * {@link #startBroker} picks two free ports (client and controller listeners on 127.0.0.1), formats a fresh log directory
 * with a generated cluster id, starts the broker and returns once a producer has written a record
 * ({@link #bootstrapServers()} then serves clients). {@link #close} stops it (SIGTERM, then SIGKILL) and deletes the
 * directory; a JVM shutdown hook does the same if a test forgets. The broker's output is in {@link #logFile()} and
 * in every start failure's message.
 * <pre>
 *   try (KafkaBrokerHarness kafka = KafkaBrokerHarness.startBroker()) { ... kafka.bootstrapServers() ... }
 * </pre>
 * As a Quarkus test resource ({@code @WithTestResource(KafkaBrokerHarness.class)}) it sets
 * {@code kafka.bootstrap.servers}. Topics are auto-created with one partition; internal topics have replication 1.
 */
public final class KafkaBrokerHarness implements AutoCloseable, QuarkusTestResourceLifecycleManager {
    /** The broker; the same version as the kafka-clients the Quarkus BOM manages. */
    static final String KAFKA = "org.apache.kafka:kafka_2.13:4.1.2";
    /** Kafka 4 logs through slf4j 1.7 and ships no binding: route it to the log4j2 it brings, at WARN. */
    static final List<String> LOGGING = List.of("org.slf4j:slf4j-api:2.0.17", "org.apache.logging.log4j:log4j-slf4j2-impl:2.25.3");
    static final Duration START_TIMEOUT = Duration.ofSeconds(Long.getLong("ranker.it.kafka-timeout-s", 180));

    /**
     * The Kafka clients of the test JVM (this harness's and the tests') log their whole configuration and every
     * rebalance at INFO: kept at WARN, so a test's output stays readable. A strong reference, or JUL forgets it.
     */
    private static final java.util.logging.Logger KAFKA_CLIENT_LOGS = quiet("org.apache.kafka");

    private Path dir;
    private Process process;
    private int port;
    private int controllerPort;
    private String clusterId;
    private Thread shutdownHook;
    private Duration startedIn;
    private Duration startCpu;

    /** For Quarkus (test resource); use {@link #startBroker()} in tests. */
    public KafkaBrokerHarness() {
    }

    public static KafkaBrokerHarness startBroker() {
        KafkaBrokerHarness k = new KafkaBrokerHarness();
        k.launch();
        return k;
    }

    @Override
    public Map<String, String> start() {
        launch();
        return Map.of("kafka.bootstrap.servers", bootstrapServers());
    }

    @Override
    public void stop() {
        close();
    }

    /** {@code 127.0.0.1:port} of the client listener. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public Path logFile() {
        return dir.resolve("broker.log");
    }

    public long pid() {
        return process.pid();
    }

    /** Wall time from launching the JVM to the first record written (classpath resolution included). */
    public Duration startedIn() {
        return startedIn;
    }

    /** CPU time of the broker's JVM when the first record had been written. */
    public Duration startCpu() {
        return startCpu;
    }

    private synchronized void launch() {
        if (process != null) throw new IllegalStateException("already started");
        long t0 = System.nanoTime();
        try {
            dir = Files.createTempDirectory("ranker-kafka-");
            shutdownHook = new Thread(this::close, "kafka-harness-cleanup");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
            List<String> roots = new ArrayList<>(List.of(KAFKA));
            roots.addAll(LOGGING);
            Path target = Path.of(System.getProperty("ranker.it.project-dir", System.getProperty("user.dir")), "target");
            List<Path> classpath = new ArrayList<>(List.of(launcherClassDir()));
            classpath.addAll(MavenClasspath.resolve(roots, target.resolve("kafka-broker.classpath")));
            clusterId = clusterId();
            this.classpath = classpath;
            for (int attempt = 0; ; attempt++) {
                port = freePort();
                controllerPort = freePort();
                process = new ProcessBuilder(command(classpath, controllerPort)).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile())).start();
                try {
                    awaitWritable(t0);
                    break;
                } catch (IOException portTaken) { // a port taken between our probe and the broker's bind
                    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                    if (attempt == 2) throw portTaken;
                    deleteTree(dir.resolve("data"));
                }
            }
            startedIn = Duration.ofNanos(System.nanoTime() - t0);
            startCpu = process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
        } catch (Exception | AssertionError e) {
            String log = dir == null ? "" : logTail(80);
            close();
            throw new IllegalStateException("could not start the Kafka broker: " + e.getMessage() + "\n--- broker log:\n" + log, e);
        }
    }

    private List<String> command(List<Path> classpath, int controllerPort) throws IOException {
        Path props = dir.resolve("server.properties");
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", dir.resolve("data").toString());
        p.setProperty("num.partitions", "1");
        p.setProperty("auto.create.topics.enable", "true");
        // one node: internal topics with one replica and one partition (50 partitions cost seconds at first use)
        for (String topic : List.of("offsets.topic", "transaction.state.log", "share.coordinator.state.topic")) {
            p.setProperty(topic + ".replication.factor", "1");
            p.setProperty(topic + ".num.partitions", "1");
        }
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("num.network.threads", "2");
        p.setProperty("num.io.threads", "2");
        p.setProperty("background.threads", "2");
        p.setProperty("log.cleaner.threads", "1");
        try (var out = Files.newBufferedWriter(props)) {
            p.store(out, "single-node KRaft broker for tests (KafkaBrokerHarness)");
        }
        Path log4j = dir.resolve("log4j2.properties");
        Files.writeString(log4j, """
                rootLogger.level = WARN
                rootLogger.appenderRef.stdout.ref = STDOUT
                appender.stdout.type = Console
                appender.stdout.name = STDOUT
                appender.stdout.layout.type = PatternLayout
                appender.stdout.layout.pattern = [%d] %p %m (%c)%n
                logger.started.name = kafka.server.KafkaRaftServer
                logger.started.level = INFO
                """);
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(javaBin, "-Xms64m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData",
                "-Djava.awt.headless=true", "-Dlog4j2.configurationFile=" + log4j, "-Dkafka.logs.dir=" + dir.resolve("logs"),
                "-cp", classpath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)),
                KafkaBrokerMain.class.getName(), props.toString(), clusterId);
    }

    private List<Path> classpath;

    /**
     * Stops the broker (SIGTERM, a controlled shutdown; SIGKILL with {@code kill}) and starts it again on the same ports
     * and log directory, so clients reconnect and the topics keep their records. Returns once it is writable again.
     */
    public synchronized void restart(boolean kill) {
        if (process == null) throw new IllegalStateException("not started");
        try {
            if (kill) process.destroyForcibly();
            else process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            long t0 = System.nanoTime();
            process = new ProcessBuilder(command(classpath, controllerPort)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile())).start();
            awaitWritable(t0);
        } catch (Exception e) {
            throw new IllegalStateException("could not restart the Kafka broker: " + e.getMessage() + "\n--- broker log:\n" + logTail(80), e);
        }
    }

    /** The launcher class alone, so the child's classpath holds nothing of the test classpath but it. */
    private Path launcherClassDir() throws IOException {
        String resource = KafkaBrokerMain.class.getName().replace('.', '/') + ".class";
        Path out = dir.resolve("launcher").resolve(resource);
        Files.createDirectories(out.getParent());
        try (var in = KafkaBrokerMain.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new IOException("cannot read " + resource);
            Files.copy(in, out);
        }
        return dir.resolve("launcher");
    }

    /** A KRaft cluster id: 16 random bytes, base64url without padding (Kafka's Uuid format, never starting with '-'). */
    static String clusterId() {
        SecureRandom r = new SecureRandom();
        while (true) {
            byte[] b = new byte[16];
            r.nextBytes(b);
            String id = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
            if (!id.startsWith("-")) return id;
        }
    }

    /** Returns once a producer has written one record; IOException when the broker could not bind its ports. */
    private void awaitWritable(long t0) throws IOException, InterruptedException {
        long deadline = t0 + START_TIMEOUT.toNanos();
        // first the listener, so the producer does not log a warning per refused connection meanwhile
        while (!accepts(port)) {
            checkAlive();
            if (System.nanoTime() > deadline) throw new AssertionError("the broker did not listen within " + START_TIMEOUT.toSeconds() + " s");
            Thread.sleep(100);
        }
        Properties cfg = new Properties();
        cfg.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        cfg.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        cfg.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        cfg.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "2000");
        cfg.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "5000");
        cfg.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
        cfg.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "200");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(cfg)) {
            while (true) {
                checkAlive();
                try {
                    producer.send(new ProducerRecord<>("harness-ready", "ping", "ping")).get(5, TimeUnit.SECONDS);
                    return;
                } catch (Exception notYet) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("no record could be written within " + START_TIMEOUT.toSeconds() + " s: " + notYet);
                    }
                    Thread.sleep(200);
                }
            }
        }
    }

    private void checkAlive() throws IOException {
        if (process.isAlive()) return;
        String log = logTail(80);
        if (log.contains("Address already in use")) throw new IOException("port taken: " + log);
        throw new AssertionError("the broker exited with status " + process.exitValue());
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.WARNING);
        return logger;
    }

    /** The last lines of the broker's output. */
    public String logTail(int lines) {
        try (RandomAccessFile f = new RandomAccessFile(logFile().toFile(), "r")) {
            long from = Math.max(0, f.length() - 128L * 1024);
            byte[] buf = new byte[(int) (f.length() - from)];
            f.seek(from);
            f.readFully(buf);
            String[] all = new String(buf, StandardCharsets.UTF_8).split("\n");
            return String.join("\n", java.util.Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
        } catch (IOException e) {
            return "(no broker log: " + e.getMessage() + ")";
        }
    }

    @Override
    public synchronized void close() {
        if (process != null && process.isAlive()) {
            process.destroy(); // SIGTERM: controlled shutdown
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        if (dir != null) {
            deleteTree(dir);
            dir = null;
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

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) return;
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a temporary directory
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }
}
