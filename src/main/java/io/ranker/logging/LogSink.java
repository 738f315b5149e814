package io.ranker.logging;

/**
 * Where a record goes once it is durable in the local segment, besides the segment: a Kafka topic for downstream
 * data platforms, the shared served-impression markers. Called on the request thread after the append: must not
 * block or throw (a thrown exception is counted as {@code ranker.log.failures{reason="sink"}} and ignored).
 * {@code json[offset, offset + length)} is the record's payload exactly as written to the segment; it is only valid
 * during the call (copy what is kept).
 */
public interface LogSink {
    void impression(ImpressionRecord record, byte[] json, int offset, int length);

    void feedback(FeedbackEvent event, byte[] json, int offset, int length);
}
