package io.ranker.catalog.changelog;

/**
 * A Redis Stream entry id, {@code <milliseconds>-<sequence>}: totally ordered, and the milliseconds are the Redis
 * server's clock when the entry was added (which is how old an unapplied entry is).
 */
public record StreamId(long millis, long sequence) implements Comparable<StreamId> {
    /** Before every entry: reading after it starts at the beginning of the stream. */
    public static final StreamId ZERO = new StreamId(0, 0);

    public StreamId {
        if (millis < 0 || sequence < 0) throw new IllegalArgumentException("stream ids are not negative: " + millis + "-" + sequence);
    }

    /** @throws IllegalArgumentException for anything but {@code <ms>-<seq>} or {@code <ms>} */
    public static StreamId parse(String text) {
        if (text == null || text.isEmpty()) throw new IllegalArgumentException("empty stream id");
        int dash = text.indexOf('-');
        try {
            if (dash < 0) return new StreamId(Long.parseLong(text), 0);
            return new StreamId(Long.parseLong(text.substring(0, dash)), Long.parseLong(text.substring(dash + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a stream id: '" + text + "'", e);
        }
    }

    public boolean isAfter(StreamId other) { return compareTo(other) > 0; }

    @Override
    public int compareTo(StreamId o) {
        int c = Long.compare(millis, o.millis);
        return c != 0 ? c : Long.compare(sequence, o.sequence);
    }

    @Override
    public String toString() { return millis + "-" + sequence; }
}
