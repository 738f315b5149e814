package io.ranker.state;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * {@code <data-dir>/state.lock}: held by the service while it runs on the local store, so a command that would
 * change the same files ({@code state import}) can tell it is not alone and refuse instead of racing it.
 */
public final class LocalStateLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private LocalStateLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock, or empty when another process (or this JVM) holds it. */
    public static Optional<LocalStateLock> tryAcquire(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        FileChannel ch = FileChannel.open(dataDir.resolve("state.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock l = ch.tryLock();
            if (l != null) return Optional.of(new LocalStateLock(ch, l));
        } catch (OverlappingFileLockException held) {
            // this JVM holds it already
        }
        ch.close();
        return Optional.empty();
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
