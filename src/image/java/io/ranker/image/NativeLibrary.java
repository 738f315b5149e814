package io.ranker.image;

import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A shared library the image adds to its base, with where it came from. Only libgomp today: xgboost4j's
 * {@code libxgboost4j.so} links against {@code libgomp.so.1}, which the Temurin images (Ubuntu with fontconfig,
 * tzdata, locales, CA certificates) do not have, and Jib cannot run {@code apt-get} in a base. The file comes
 * from {@code --libgomp=<path>} when given, otherwise from the build machine's {@code libgomp1:amd64} package as
 * dpkg installed it (its version goes into an image label). It is checked before it goes in: an x86-64 ELF
 * shared object, and needing no newer glibc than the base has ({@code --base-glibc}, 2.39 for Ubuntu 24.04,
 * which the Temurin 25 images are built on), so XGBoost cannot fail to load at run time for either reason.
 */
record NativeLibrary(Path file, AbsoluteUnixPath target, String provenance) {
    /** The multiarch directory the base's dynamic loader searches by default (Debian and Ubuntu). */
    private static final AbsoluteUnixPath LIB_DIR = AbsoluteUnixPath.get("/usr/lib/x86_64-linux-gnu");
    private static final Pattern GLIBC = Pattern.compile("GLIBC_(\\d+)\\.(\\d+)");

    static NativeLibrary libgomp(String explicitPath, String baseGlibc) throws IOException, InterruptedException {
        Path file;
        String provenance;
        if (explicitPath != null) {
            file = Path.of(explicitPath).toRealPath();
            provenance = "libgomp.so.1 from " + explicitPath;
        } else {
            Optional<String> version = run("dpkg-query", "-W", "-f=${Version} ${Architecture}", "libgomp1:amd64");
            Optional<String> path = run("dpkg-query", "-L", "libgomp1:amd64")
                    .flatMap(files -> files.lines().filter(l -> l.endsWith("/libgomp.so.1")).findFirst());
            if (version.isEmpty() || path.isEmpty()) {
                RankerImage.fail("the image needs libgomp.so.1 (XGBoost's OpenMP runtime; the Temurin base lacks it) and this"
                        + " machine has no dpkg-installed libgomp1 to take it from: install it (apt-get install libgomp1) or"
                        + " pass -Dimage.libgomp=/path/to/libgomp.so.1 (x86-64, glibc <= " + baseGlibc + ")");
            }
            file = Path.of(path.get()).toRealPath();
            provenance = "libgomp1 " + version.get() + " from the build machine's " + osName();
        }
        check(file, baseGlibc);
        return new NativeLibrary(file, LIB_DIR.resolve("libgomp.so.1"), provenance);
    }

    /** An x86-64 ELF shared object whose glibc symbol versions the base provides. */
    static void check(Path file, String baseGlibc) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        boolean elf = bytes.length > 20 && bytes[0] == 0x7f && bytes[1] == 'E' && bytes[2] == 'L' && bytes[3] == 'F';
        if (!elf || bytes[4] != 2 || (bytes[18] & 0xff) != 0x3e || bytes[19] != 0) {
            RankerImage.fail(file + " is not an x86-64 ELF shared object");
        }
        int[] limit = Arrays.stream(baseGlibc.split("\\.")).mapToInt(Integer::parseInt).toArray();
        Matcher m = GLIBC.matcher(new String(bytes, StandardCharsets.ISO_8859_1));
        while (m.find()) {
            int major = Integer.parseInt(m.group(1));
            int minor = Integer.parseInt(m.group(2));
            if (major > limit[0] || (major == limit[0] && minor > limit[1])) {
                RankerImage.fail(file + " needs " + m.group() + " but the base has glibc " + baseGlibc
                        + ": take libgomp from a distribution no newer than the base's (-Dimage.libgomp=...)");
            }
        }
    }

    private static String osName() throws IOException {
        Path release = Path.of("/etc/os-release");
        if (Files.isReadable(release)) {
            for (String line : Files.readAllLines(release)) {
                if (line.startsWith("PRETTY_NAME=")) {
                    return line.substring("PRETTY_NAME=".length()).replace("\"", "");
                }
            }
        }
        return System.getProperty("os.name");
    }

    private static Optional<String> run(String... command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(false).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor() == 0 && !out.isEmpty() ? Optional.of(out) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // no dpkg on this machine
        }
    }
}
