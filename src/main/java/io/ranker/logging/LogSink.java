package io.ranker.logging;

/**
 * A secondary destination of records after they are durable in the local segment (e.g. a Redis stream
 * that other replicas, replay or training consume). Called on the request thread: must not block or throw.
 */
public interface LogSink {
    /** @param json the record exactly as written to the segment, {@code [offset, offset + length)} */
    void publish(String kind, byte[] json, int offset, int length);
}
