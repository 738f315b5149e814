package io.ranker.testing;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A dynamic AppCDS archive of the service's classes, so a replica JVM maps them instead of loading and verifying
 * them again: measured on the demo replica (C1 only), a start with the archive costs about 30% less CPU
 * (2.3 s against 3.3 s for a restart on an existing data directory).
 * <p>
 * The archive belongs to one jar and one JVM ({@code target/it-cds/ranker-<key>.jsa}, the key hashing the jar's
 * size and time and the java.home). While it does not exist, the first replica started is given
 * {@code -XX:ArchiveClassesAtExit} and writes it when it exits gracefully ({@link #afterExit}); a replica killed
 * with SIGKILL writes nothing and hands the job to the next one. A stale or damaged archive is harmless: the
 * JVM's default {@code -Xshare:auto} ignores an archive that does not match and loads classes as usual.
 * (Java 25's AOT cache, JEP 483, would do more; this works on the 17 the build uses today.)
 */
final class ClassDataArchive {
    private static final AtomicReference<Path> WRITER = new AtomicReference<>();
    private static final AtomicInteger SEQ = new AtomicInteger();

    private final Path archive;

    private ClassDataArchive(Path archive) {
        this.archive = archive;
    }

    static ClassDataArchive forJar(Path jar, String javaHome, Path dir) {
        String key;
        try {
            key = Integer.toHexString((jar.toAbsolutePath() + "|" + Files.size(jar) + "|" + Files.getLastModifiedTime(jar).toMillis()
                    + "|" + javaHome).hashCode());
        } catch (IOException e) {
            key = "unknown";
        }
        return new ClassDataArchive(dir.resolve("ranker-" + key + ".jsa"));
    }

    /**
     * How one JVM takes part: it maps the archive ({@code reads}), or writes it at exit ({@code writes} is the
     * temporary file it dumps to), or neither while another JVM is writing it.
     */
    record Use(List<String> jvmOptions, boolean reads, Path writes) {
    }

    /** The JVM options for the next process: use the archive, or write it at exit if no other process is writing it. */
    Use next() {
        if (Files.isRegularFile(archive)) return new Use(List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto"), true, null);
        Path tmp = archive.resolveSibling(archive.getFileName() + "." + SEQ.incrementAndGet() + "-" + ProcessHandle.current().pid() + ".tmp");
        if (!WRITER.compareAndSet(null, tmp)) return new Use(List.of(), false, null);
        try {
            Files.createDirectories(archive.getParent());
        } catch (IOException e) {
            WRITER.set(null);
            return new Use(List.of(), false, null);
        }
        // the dump lists every class it skips at warning level: thousands of lines in the replica's log
        return new Use(List.of("-XX:ArchiveClassesAtExit=" + tmp, "-Xlog:cds=error", "-Xlog:cds+dynamic=error"), false, tmp);
    }

    /** Called after a JVM has exited: publishes the archive it wrote, if it was the writer and exited gracefully. */
    void afterExit(Use use, boolean killed) {
        Path tmp = use == null ? null : use.writes();
        if (tmp == null || !WRITER.compareAndSet(tmp, tmp)) return;
        try {
            if (!killed && Files.isRegularFile(tmp) && Files.size(tmp) > 0) {
                deleteOlderArchives();
                try {
                    Files.move(tmp, archive, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, archive, StandardCopyOption.REPLACE_EXISTING);
                }
            } else {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException ignored) {
            // no archive this time; the next run tries again
        } finally {
            WRITER.set(null);
        }
    }

    private void deleteOlderArchives() throws IOException {
        try (DirectoryStream<Path> old = Files.newDirectoryStream(archive.getParent(), "ranker-*.jsa*")) {
            for (Path p : old) if (!p.equals(archive) && !p.equals(WRITER.get())) Files.deleteIfExists(p);
        }
    }

    Path path() {
        return archive;
    }
}
