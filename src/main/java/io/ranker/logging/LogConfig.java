package io.ranker.logging;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Plain settings of a {@link SegmentImpressionLog}, so tests and commands can build one without CDI
 * ({@link LogSettings} is the service's {@code ranking.log.*} mapping that produces one).
 *
 * @param dir               the directory this log writes its segments to: {@code <log root>/<replicaId>} for a replica
 * @param fsyncInterval     how often written bytes are forced to disk; {@link Duration#ZERO} forces on every append
 * @param segmentMaxBytes   a segment is closed (and compressed) once it would grow past this size
 * @param segmentMaxAge     ... or once it is this old and not empty
 * @param retentionMaxAge   closed segments last modified longer ago than this are deleted (zero: keep forever)
 * @param retentionMaxBytes oldest closed segments are deleted while the directory holds more (0: unlimited)
 * @param compress          gzip closed segments
 * @param joinWindow        how many recent impression ids this replica remembers to join feedback with
 * @param replicaId         the replica writing (in segment names and in every record), null for the single-replica
 *                          layout of old (segments named without an id, directly in {@code dir})
 */
public record LogConfig(Path dir, Duration fsyncInterval, long segmentMaxBytes, Duration segmentMaxAge,
                        Duration retentionMaxAge, long retentionMaxBytes, boolean compress, int joinWindow,
                        String replicaId) {

    /** The single-replica layout of old: segments straight in {@code dir}, no replica id. */
    public static LogConfig defaults(Path dir) {
        return new LogConfig(dir, Duration.ofMillis(200), 64L << 20, Duration.ofHours(1), Duration.ofDays(14),
                0, true, 50_000, null);
    }

    /** Replica {@code replicaId} writing under {@code <root>/<replicaId>/}, so replicas can share {@code root}. */
    public static LogConfig forReplica(Path root, String replicaId) {
        return defaults(root).inReplicaDir(root, replicaId);
    }

    /** The log root readers are pointed at: the parent of a replica's directory. */
    public Path root() {
        return replicaId == null ? dir : dir.getParent();
    }

    LogConfig inReplicaDir(Path root, String id) {
        if (!io.ranker.config.ReplicaId.valid(id)) throw new IllegalArgumentException("invalid replica id '" + id + "'");
        return new LogConfig(root.resolve(id), fsyncInterval, segmentMaxBytes, segmentMaxAge, retentionMaxAge,
                retentionMaxBytes, compress, joinWindow, id);
    }

    public LogConfig withFsyncInterval(Duration d) {
        return new LogConfig(dir, d, segmentMaxBytes, segmentMaxAge, retentionMaxAge, retentionMaxBytes, compress, joinWindow, replicaId);
    }

    public LogConfig withSegmentMaxBytes(long b) {
        return new LogConfig(dir, fsyncInterval, b, segmentMaxAge, retentionMaxAge, retentionMaxBytes, compress, joinWindow, replicaId);
    }

    public LogConfig withSegmentMaxAge(Duration d) {
        return new LogConfig(dir, fsyncInterval, segmentMaxBytes, d, retentionMaxAge, retentionMaxBytes, compress, joinWindow, replicaId);
    }

    public LogConfig withRetention(Duration maxAge, long maxBytes) {
        return new LogConfig(dir, fsyncInterval, segmentMaxBytes, segmentMaxAge, maxAge, maxBytes, compress, joinWindow, replicaId);
    }

    public LogConfig withCompress(boolean c) {
        return new LogConfig(dir, fsyncInterval, segmentMaxBytes, segmentMaxAge, retentionMaxAge, retentionMaxBytes, c, joinWindow, replicaId);
    }
}
