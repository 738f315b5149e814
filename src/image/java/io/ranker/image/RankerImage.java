package io.ranker.image;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.Port;
import com.google.cloud.tools.jib.frontend.CredentialRetrieverFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/**
 * Builds the service image into a tarball with Jib's library, without a Docker engine: {@code mvn -B package -Pimage}
 * runs it after Quarkus has written {@code target/quarkus-app}. Why jib-core and not the Jib Maven plugin: the
 * plugin would add the project's dependencies a second time in its own {@code /app} layout and put extra
 * files in root-owned layers, and the Jib extensions that fix both are not on Maven Central; Quarkus' own Jib
 * extension can push or load into a Docker daemon but cannot write a tarball.
 * <p>
 * The image (the same one {@code deploy/README.md} documents):
 * <ul>
 *   <li>the base ({@code --base}, default {@code eclipse-temurin:25-jre}; {@code tar://file} for a local archive);</li>
 *   <li>{@code libgomp.so.1}, the OpenMP runtime that XGBoost's native library links against and the Temurin
 *       images lack, as its own layer (see {@link NativeLibrary});</li>
 *   <li>the Quarkus fast-jar under {@code /deployments}, one layer per part from the least to the most often
 *       changing ({@code lib/}, {@code quarkus-run.jar}, {@code app/}, {@code quarkus/}), owned by root and
 *       read-only for the service, so a compromised process cannot rewrite its own code;</li>
 *   <li>the default {@code ranking-config/} at {@code /deployments/ranking-config} and the data dir
 *       {@code /var/lib/ranker}, both owned by the service user (model promotion and policy publishing write
 *       there when nothing is mounted over them);</li>
 *   <li>user {@code 10001:10001}, entrypoint {@code java -jar /deployments/quarkus-run.jar} (arguments run a
 *       command: {@code docker run IMAGE index --file ...}), the HTTP port, and {@code JDK_JAVA_OPTIONS}
 *       sizing the heap as a share of the container's memory.</li>
 * </ul>
 */
public final class RankerImage {
    static final AbsoluteUnixPath HOME = AbsoluteUnixPath.get("/deployments");
    static final AbsoluteUnixPath CONFIG_DIR = HOME.resolve("ranking-config");
    static final AbsoluteUnixPath DATA_DIR = AbsoluteUnixPath.get("/var/lib/ranker");
    private static final FilePermissions READ_ONLY_FILE = FilePermissions.fromOctalString("644");
    private static final FilePermissions DIRECTORY = FilePermissions.fromOctalString("755");
    private static final String ROOT = "0:0";

    private RankerImage() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = parse(args);
        Path appDir = Path.of(opts.getOrDefault("app", "target/quarkus-app"));
        Path configDir = Path.of(opts.getOrDefault("config", "ranking-config"));
        Path out = Path.of(opts.getOrDefault("out", "target/ranker-image.tar"));
        String base = opts.getOrDefault("base", "eclipse-temurin:25-jre");
        String name = opts.getOrDefault("name", "ranker:latest");
        String user = opts.getOrDefault("user", "10001:10001");
        int port = Integer.parseInt(opts.getOrDefault("port", "8080"));
        int managementPort = Integer.parseInt(opts.getOrDefault("management-port", "9000"));
        String jvmOptions = opts.getOrDefault("jvm-options", "-XX:InitialRAMPercentage=50 -XX:MaxRAMPercentage=50");
        boolean skipWhenBaseUnavailable = Boolean.parseBoolean(opts.getOrDefault("skip-when-base-unavailable", "false"));
        Path work = Path.of(opts.getOrDefault("work", "target/image-work"));
        Path skippedMarker = out.resolveSibling(out.getFileName() + ".skipped");

        if (!Files.isRegularFile(appDir.resolve("quarkus-run.jar"))) {
            fail("no Quarkus fast-jar at " + appDir + " (run the package phase first)");
        }
        if (!Files.isDirectory(configDir)) {
            fail("no ranking configuration at " + configDir);
        }
        NativeLibrary libgomp = NativeLibrary.libgomp(opts.get("libgomp"), opts.getOrDefault("base-glibc", "2.39"));
        Files.createDirectories(work);
        Path emptyDir = Files.createDirectories(work.resolve("empty"));
        Files.deleteIfExists(skippedMarker);

        Instant epoch = Instant.ofEpochSecond(1); // Jib's default: reproducible layers, whatever the file times
        JibContainerBuilder image = from(base)
                .addFileEntriesLayer(FileEntriesLayer.builder().setName("libgomp")
                        .addEntry(libgomp.file(), libgomp.target(), READ_ONLY_FILE, epoch, ROOT).build())
                .addFileEntriesLayer(tree("dependencies", appDir.resolve("lib"), HOME.resolve("lib"), ROOT))
                .addFileEntriesLayer(FileEntriesLayer.builder().setName("launcher")
                        .addEntry(appDir.resolve("quarkus-run.jar"), HOME.resolve("quarkus-run.jar"), READ_ONLY_FILE, epoch, ROOT)
                        .build())
                .addFileEntriesLayer(tree("application", appDir.resolve("app"), HOME.resolve("app"), ROOT))
                .addFileEntriesLayer(tree("quarkus", appDir.resolve("quarkus"), HOME.resolve("quarkus"), ROOT))
                .addFileEntriesLayer(tree("ranking-config", configDir, CONFIG_DIR, user))
                .addFileEntriesLayer(FileEntriesLayer.builder().setName("data-dir")
                        .addEntry(emptyDir, DATA_DIR, DIRECTORY, epoch, user).build())
                .setEntrypoint("java", "-jar", HOME.resolve("quarkus-run.jar").toString())
                .setProgramArguments(List.of())
                .setWorkingDirectory(HOME)
                .setUser(user)
                .addExposedPort(Port.tcp(port))
                .addExposedPort(Port.tcp(managementPort))
                .addVolume(DATA_DIR)
                .addEnvironmentVariable("RANKING_DATA_DIR", DATA_DIR.toString())
                .addEnvironmentVariable("RANKING_CONFIG_DIR", CONFIG_DIR.toString())
                .addEnvironmentVariable("JDK_JAVA_OPTIONS", jvmOptions)
                .addLabel("org.opencontainers.image.title", "ranker")
                .addLabel("org.opencontainers.image.version", opts.getOrDefault("version", "unknown"))
                .addLabel("org.opencontainers.image.base.name", base)
                .addLabel("io.ranker.image.libgomp", libgomp.provenance());

        Files.createDirectories(out.toAbsolutePath().getParent());
        Containerizer to = Containerizer.to(TarImage.at(out).named(name))
                .setToolName("ranker-image")
                .setApplicationLayersCache(work.resolve("cache"))
                .addEventHandler(LogEvent.class, RankerImage::log);
        try {
            JibContainer built = image.containerize(to);
            System.out.println("[ranker-image] " + out + ": " + name + " on " + base + ", image id " + built.getImageId());
        } catch (ExecutionException | RegistryException e) {
            String reason = "cannot pull the base image " + base + ": " + rootCause(e)
                    + ". -Pimage needs access to that image's registry; without it, build a stand-in base with"
                    + " deploy/image/standin-base.sh and pass -Dimage.base=tar://target/standin-base.tar";
            if (!skipWhenBaseUnavailable) {
                fail(reason);
            }
            Files.deleteIfExists(out);
            Files.writeString(skippedMarker, reason + "\n");
            System.out.println("[ranker-image] SKIPPED: " + reason);
        }
    }

    private static JibContainerBuilder from(String base) throws Exception {
        if (base.startsWith(Jib.TAR_IMAGE_PREFIX)) {
            return Jib.from(TarImage.at(Path.of(base.substring(Jib.TAR_IMAGE_PREFIX.length()))));
        }
        ImageReference ref = ImageReference.parse(base.replaceFirst("^" + Jib.REGISTRY_IMAGE_PREFIX, ""));
        // Private or mirrored bases: the credentials `docker login` (or a credential helper) left behind.
        CredentialRetrieverFactory credentials = CredentialRetrieverFactory.forImage(ref, RankerImage::log);
        return Jib.from(RegistryImage.named(ref)
                .addCredentialRetriever(credentials.dockerConfig())
                .addCredentialRetriever(credentials.wellKnownCredentialHelpers()));
    }

    /** A directory tree as one layer: files 644, directories 755, every entry owned by {@code owner}. */
    private static FileEntriesLayer tree(String layer, Path source, AbsoluteUnixPath target, String owner) throws IOException {
        return FileEntriesLayer.builder().setName(layer)
                .addEntryRecursive(source, target,
                        (file, path) -> Files.isDirectory(file) ? DIRECTORY : READ_ONLY_FILE,
                        (file, path) -> Instant.ofEpochSecond(1),
                        (file, path) -> owner)
                .build();
    }

    private static void log(LogEvent event) {
        switch (event.getLevel()) {
            case ERROR, WARN, LIFECYCLE -> System.out.println("[ranker-image] " + event.getMessage());
            default -> { }
        }
    }

    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    static void fail(String message) {
        System.err.println("[ranker-image] ERROR: " + message);
        System.exit(1);
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                fail("arguments are --name=value, not " + arg);
            }
            String value = arg.substring(eq + 1).strip();
            if (!value.isEmpty()) {
                opts.put(arg.substring(2, eq), value);
            }
        }
        Set<String> known = Set.of("app", "config", "out", "base", "name", "user", "port", "management-port", "jvm-options",
                "skip-when-base-unavailable", "work", "libgomp", "base-glibc", "version");
        opts.keySet().stream().filter(k -> !known.contains(k)).findFirst()
                .ifPresent(k -> fail("unknown option --" + k + " (known: " + known + ")"));
        return opts;
    }
}
