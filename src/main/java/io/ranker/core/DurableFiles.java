package io.ranker.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Crash-safe writes of the local state files (policy versions and history, model routing, switches, job
 * results). A replacement is written to a temporary file, forced to disk, renamed over the target and the
 * directory forced too, so after a power loss the file holds either the old or the new content, never an empty
 * or partial one. An append is one write of whole lines, forced before it returns; a torn tail left by a crash
 * in the middle of an append is cut off by {@link #truncateTornTail} before the next append.
 */
public final class DurableFiles {
    private DurableFiles() {
    }

    /** Replaces {@code target} with {@code bytes} atomically and durably. */
    public static void write(Path target, byte[] bytes) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) ch.write(b);
            ch.force(true);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        forceDirectory(dir);
    }

    /** Appends whole lines (the caller ends them with a newline) and forces them to disk. */
    public static void append(Path file, byte[] lines) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        boolean created = !Files.exists(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer b = ByteBuffer.wrap(lines);
            while (b.hasRemaining()) ch.write(b);
            ch.force(true);
        }
        if (created) forceDirectory(dir);
    }

    /**
     * Cuts a line-oriented file back to its last complete line: everything after the last newline is the torn
     * remains of an append that a crash interrupted (or zeros the file system left), which the next append must
     * not extend. Lines that are complete but unreadable are left for the reader to judge.
     *
     * @return the number of bytes cut off (0 when the file ends with a newline or does not exist)
     */
    public static long truncateTornTail(Path file) throws IOException {
        if (!Files.isRegularFile(file)) return 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            if (size == 0) return 0;
            // scan back to the last newline, in blocks
            ByteBuffer block = ByteBuffer.allocate(8192);
            long pos = size;
            long keep = 0;
            outer:
            while (pos > 0) {
                int n = (int) Math.min(block.capacity(), pos);
                pos -= n;
                block.clear().limit(n);
                while (block.hasRemaining()) {
                    if (ch.read(block, pos + block.position()) < 0) break;
                }
                for (int i = n - 1; i >= 0; i--) {
                    if (block.get(i) == '\n') {
                        keep = pos + i + 1;
                        break outer;
                    }
                }
            }
            if (keep == size) return 0;
            ch.truncate(keep);
            ch.force(true);
            return size - keep;
        }
    }

    /** Forces a directory's entries (a rename or a new file) to disk; a no-op where the platform cannot. */
    public static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // some platforms (Windows) cannot open a directory; the rename itself is still atomic there
        }
    }
}
