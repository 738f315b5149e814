package io.ranker.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Reads the image archive that {@code mvn -B verify -Pimage} builds ({@code target/ranker-image.tar}, a
 * {@code docker load} tarball) the way a container runtime would: the image config, then every layer in order,
 * later layers overriding earlier ones. Skipped, saying why, when there is no archive (the build without
 * {@code -Pimage}, or a base image that could not be pulled).
 */
class ImageArchiveIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ROOT = Path.of(System.getProperty("user.dir"));
    private static final Path ARCHIVE = Path.of(System.getProperty("ranker.image.tar", "target/ranker-image.tar"));
    private static final String HOME = "deployments";

    private static JsonNode config;
    private static List<String> repoTags;
    /** path (no leading slash) -> the entry the container sees */
    private static Map<String, FileInImage> files;

    record FileInImage(boolean directory, long uid, long gid, int mode, long size, String linkTarget, String sha256, byte[] head) {
    }

    /** Why the tests are skipped, or null when the archive is there. */
    private static String missing;

    @BeforeAll
    static void readArchive() throws IOException {
        Path skipped = ARCHIVE.resolveSibling(ARCHIVE.getFileName() + ".skipped");
        if (!Files.isRegularFile(ARCHIVE)) {
            missing = Files.isRegularFile(skipped) ? "image archive not built: " + readQuietly(skipped)
                    : "no image archive at " + ARCHIVE + ": build it with `mvn -B verify -Pimage`"
                    + " (needs the base image's registry, or -Dimage.base=tar://...)";
            System.out.println("ImageArchiveIT SKIPPED: " + missing);
            return;
        }
        Map<String, byte[]> blobs = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new BufferedInputStream(Files.newInputStream(ARCHIVE)))) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                if (e.isFile()) {
                    blobs.put(normalize(e.getName()), tar.readAllBytes());
                }
            }
        }
        JsonNode manifest = JSON.readTree(blobs.get("manifest.json")).get(0);
        assertThat(manifest).as("manifest.json of " + ARCHIVE).isNotNull();
        repoTags = new ArrayList<>();
        manifest.path("RepoTags").forEach(t -> repoTags.add(t.asText()));
        config = JSON.readTree(blobs.get(normalize(manifest.path("Config").asText())));
        files = new TreeMap<>();
        for (JsonNode layer : manifest.path("Layers")) {
            readLayer(blobs.get(normalize(layer.asText())));
        }
        assertThat(manifest.path("Layers").size()).as("layers").isEqualTo(config.at("/rootfs/diff_ids").size());
    }

    @Test
    void runsAsTheUnprivilegedServiceUser() {
        assumeArchive();
        String user = config.at("/config/User").asText();
        assertThat(user).as("User").isNotEmpty().isNotEqualTo("root").doesNotStartWith("0:").isNotEqualTo("0")
                .isEqualTo(System.getProperty("ranker.image.user", "10001:10001"));
        long uid = Long.parseLong(user.split(":")[0]);
        // what the service writes is the user's; its own code is not
        assertThat(file("var/lib/ranker").directory()).as("/var/lib/ranker is a directory").isTrue();
        assertThat(file("var/lib/ranker").uid()).as("owner of the data dir").isEqualTo(uid);
        assertThat(config.at("/config/Volumes").has("/var/lib/ranker")).as("data dir is a volume").isTrue();
        FileInImage launcher = file(HOME + "/quarkus-run.jar");
        assertThat(launcher.uid()).as("quarkus-run.jar owned by root").isZero();
        assertThat(launcher.mode() & 0022).as("quarkus-run.jar not writable by group or others").isZero();
    }

    @Test
    void startsTheFastJarOnTheHttpPort() {
        assumeArchive();
        assertThat(texts(config.at("/config/Entrypoint"))).containsExactly("java", "-jar", "/" + HOME + "/quarkus-run.jar");
        assertThat(texts(config.at("/config/Cmd"))).as("no default arguments: `docker run IMAGE replay ...` runs a command").isEmpty();
        String port = System.getProperty("ranker.image.port", "8080");
        assertThat(config.at("/config/ExposedPorts").has(port + "/tcp")).as("ExposedPorts " + config.at("/config/ExposedPorts"))
                .isTrue();
        String management = System.getProperty("ranker.image.management.port", "9000");
        assertThat(config.at("/config/ExposedPorts").has(management + "/tcp")).as("management port in ExposedPorts").isTrue();
        assertThat(config.at("/config/WorkingDir").asText()).isEqualTo("/" + HOME);
        for (String part : List.of("lib/boot", "lib/main", "app", "quarkus")) {
            assertThat(file(HOME + "/" + part).directory()).as("/" + HOME + "/" + part + "/").isTrue();
        }
        assertThat(files.keySet()).as("xgboost4j in lib/main")
                .anyMatch(p -> p.startsWith(HOME + "/lib/main/") && p.contains("xgboost4j"));
        assertThat(files.keySet()).as("the application jar in app/").anyMatch(p -> p.startsWith(HOME + "/app/") && p.endsWith(".jar"));
        if (Files.isDirectory(ROOT.resolve("target/quarkus-app/lib/main"))) {
            try (Stream<Path> built = Files.list(ROOT.resolve("target/quarkus-app/lib/main"))) {
                assertThat(built.map(p -> HOME + "/lib/main/" + p.getFileName())).as("every built dependency is in the image")
                        .allMatch(files::containsKey);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void hasAJavaRuntimeOnThePathOfTheEntrypoint() {
        assumeArchive();
        Map<String, String> env = env();
        String javaHome = env.getOrDefault("JAVA_HOME", "");
        assertThat(javaHome).as("JAVA_HOME from the base image").isNotEmpty();
        String path = env.getOrDefault("PATH", "");
        String java = Stream.of(path.split(":")).map(d -> normalize(d + "/java")).filter(files::containsKey).findFirst()
                .orElseThrow(() -> new AssertionError("no `java` on PATH " + path));
        assertThat(java).isEqualTo(normalize(javaHome + "/bin/java"));
        FileInImage launcher = files.get(java);
        assertThat(launcher.mode() & 0111).as("java is executable").isNotZero();
        String release = new String(file(normalize(javaHome + "/release")).head(), StandardCharsets.UTF_8);
        Matcher version = Pattern.compile("JAVA_VERSION=\"(\\d+)").matcher(release);
        assertThat(version.find()).as("JAVA_VERSION in " + javaHome + "/release").isTrue();
        assertThat(version.group(1)).as("Java feature version").isEqualTo(System.getProperty("ranker.image.java", "25"));
        // xgboost4j's native library links against libgomp, which the Temurin base lacks: the image adds it
        FileInImage gomp = file("usr/lib/x86_64-linux-gnu/libgomp.so.1");
        assertThat(new String(gomp.head(), 1, 3, StandardCharsets.US_ASCII)).as("libgomp.so.1 is an ELF file").isEqualTo("ELF");
        assertThat(config.at("/config/Labels/io.ranker.image.libgomp").asText()).as("where libgomp came from").isNotEmpty();
        String jvm = env.getOrDefault("JDK_JAVA_OPTIONS", "");
        assertThat(jvm).as("heap sized to the container").contains("MaxRAMPercentage").doesNotContainPattern("-Xmx\\d");
    }

    @Test
    void carriesTheDefaultRankingConfiguration() throws IOException {
        assumeArchive();
        Map<String, String> env = env();
        String configDir = normalize(env.getOrDefault("RANKING_CONFIG_DIR", ""));
        assertThat(configDir).isEqualTo(HOME + "/ranking-config");
        assertThat(env).containsEntry("RANKING_DATA_DIR", "/var/lib/ranker");
        long uid = Long.parseLong(config.at("/config/User").asText().split(":")[0]);
        Path source = ROOT.resolve("ranking-config");
        int compared = 0;
        try (Stream<Path> walk = Files.walk(source)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                String inImage = configDir + "/" + source.relativize(f).toString().replace('\\', '/');
                FileInImage entry = file(inImage);
                assertThat(entry.sha256()).as(inImage + " equals " + ROOT.relativize(f)).isEqualTo(sha256(Files.readAllBytes(f)));
                assertThat(entry.uid()).as("owner of " + inImage + " (policy publishing and model promotion write there)")
                        .isEqualTo(uid);
                compared++;
            }
        }
        assertThat(compared).as("ranking-config files compared").isGreaterThan(3);
        assertThat(files).containsKey(configDir + "/models.yaml");
    }

    @Test
    void isTaggedForDockerLoad() {
        assumeArchive();
        assertThat(repoTags).as("RepoTags").isNotEmpty().allMatch(t -> t.startsWith("ranker:"));
        assertThat(config.path("architecture").asText()).isEqualTo("amd64");
        assertThat(config.path("os").asText()).isEqualTo("linux");
    }

    // ---------------------------------------------------------------------------------------------

    private static void assumeArchive() {
        assumeTrue(missing == null, () -> missing);
    }

    private static void readLayer(byte[] blob) throws IOException {
        InputStream in = new ByteArrayInputStream(blob);
        if (blob.length > 2 && (blob[0] & 0xff) == 0x1f && (blob[1] & 0xff) == 0x8b) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        try (TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                String name = normalize(e.getName());
                String base = name.substring(name.lastIndexOf('/') + 1);
                if (base.startsWith(".wh.")) { // whiteout: the layer deletes a path of a lower one
                    String dir = name.substring(0, name.length() - base.length());
                    String gone = dir + base.substring(4);
                    files.keySet().removeIf(p -> p.equals(gone) || p.startsWith(gone + "/"));
                    continue;
                }
                String sha = null;
                byte[] head = new byte[0];
                if (e.isFile()) {
                    byte[] content = tar.readAllBytes();
                    sha = sha256(content);
                    head = java.util.Arrays.copyOf(content, Math.min(content.length, 4096));
                }
                String link = e.isSymbolicLink() || e.isLink() ? e.getLinkName() : null;
                files.put(name, new FileInImage(e.isDirectory(), e.getLongUserId(), e.getLongGroupId(), e.getMode() & 07777,
                        e.getSize(), link, sha, head));
            }
        }
    }

    /** The entry at a path, following symbolic links (relative or absolute) as the kernel would. */
    private static FileInImage file(String path) {
        String p = normalize(path);
        for (int hops = 0; hops < 20; hops++) {
            FileInImage f = files.get(p);
            if (f == null) {
                throw new AssertionError("/" + p + " is not in the image");
            }
            if (f.linkTarget() == null || f.sha256() != null) {
                return f;
            }
            String target = f.linkTarget();
            p = normalize(target.startsWith("/") ? target : p.substring(0, Math.max(0, p.lastIndexOf('/'))) + "/" + target);
        }
        throw new AssertionError("symbolic link loop at /" + path);
    }

    private static Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        config.at("/config/Env").forEach(e -> {
            String kv = e.asText();
            int eq = kv.indexOf('=');
            env.put(kv.substring(0, eq), kv.substring(eq + 1));
        });
        return env;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String normalize(String path) {
        String p = path.replaceAll("^(\\./|/)+", "").replaceAll("/+$", "").replaceAll("//+", "/");
        List<String> parts = new ArrayList<>();
        for (String s : p.split("/")) {
            if (s.equals("..")) {
                if (!parts.isEmpty()) {
                    parts.remove(parts.size() - 1);
                }
            } else if (!s.isEmpty() && !s.equals(".")) {
                parts.add(s);
            }
        }
        return String.join("/", parts);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            return file + " unreadable: " + e.getMessage();
        }
    }
}
