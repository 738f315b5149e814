package io.ranker.logging;

/**
 * A damaged stretch of a segment that a reader skipped.
 *
 * @param segment file name of the segment
 * @param offset  byte offset (in the uncompressed segment) where the damage starts
 * @param type    TORN: a record cut off at the end of a segment (a write interrupted by a crash);
 *                CORRUPT: a checksum mismatch, an impossible length or bytes that are no frame
 * @param bytes   how many bytes were skipped
 */
public record LogProblem(String segment, long offset, Type type, long bytes, String detail) {
    public enum Type { TORN, CORRUPT }

    @Override
    public String toString() {
        return type + " " + segment + " @" + offset + " (" + bytes + " bytes): " + detail;
    }
}
