package io.ranker.logging;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * One valid record read back from the log: its place, its raw JSON and, decoded on demand, its kind,
 * timestamp and typed value.
 */
public final class LogEntry {
    private final String replica;
    private final String segment;
    private final long offset;
    private final byte[] payload;
    private String kind;
    private long timestamp = Long.MIN_VALUE;

    LogEntry(String segment, long offset, byte[] payload) {
        this("", segment, offset, payload);
    }

    LogEntry(String replica, String segment, long offset, byte[] payload) {
        this.replica = replica;
        this.segment = segment;
        this.offset = offset;
        this.payload = payload;
    }

    /** The replica whose segments hold it (see {@link LogLayout.Replica#replica()}). */
    public String replica() { return replica; }

    public String segment() { return segment; }

    public long offset() { return offset; }

    /** The record as one line of standard JSON (what {@code logs dump} prints). */
    public String json() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    public byte[] payload() { return payload; }

    /** {@code impression} or {@code feedback} (other kinds may be added; readers skip what they do not know). */
    public String kind() {
        if (kind == null) scanHead();
        return kind;
    }

    /** The record's own time (epoch millis), 0 when it has none. */
    public long timestamp() {
        if (timestamp == Long.MIN_VALUE) scanHead();
        return timestamp;
    }

    public boolean isImpression() { return LogJson.IMPRESSION.equals(kind()); }

    public boolean isFeedback() { return LogJson.FEEDBACK.equals(kind()); }

    public ImpressionRecord impression() {
        return ImpressionDecoder.decode(payload, segment + "@" + offset);
    }

    public FeedbackEvent feedback() {
        return decode(FeedbackEvent.class);
    }

    /** A feedback record's top-level {@code eventId}, null when it has none (read without decoding the rest). */
    public String eventId() {
        return topLevelString("eventId");
    }

    /** The record's top-level {@code impressionId} (impressions and feedback), read without decoding the rest. */
    public String impressionId() {
        return topLevelString("impressionId");
    }

    private String topLevelString(String field) {
        try (JsonParser p = LogJson.MAPPER.getFactory().createParser(payload)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (field.equals(name)) return v == JsonToken.VALUE_STRING ? p.getText() : null;
                p.skipChildren();
            }
        } catch (IOException e) {
            // not JSON: no such field
        }
        return null;
    }

    public JsonNode tree() {
        try {
            return LogJson.MAPPER.readTree(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T> T decode(Class<T> type) {
        try {
            return LogJson.MAPPER.readValue(payload, type);
        } catch (IOException e) {
            throw new UncheckedIOException("record at " + segment + "@" + offset + " is not a " + type.getSimpleName(), e);
        }
    }

    /** Reads top-level "kind" and "timestamp" without decoding the (possibly large) rest. */
    private void scanHead() {
        String k = "";
        long ts = 0;
        try (JsonParser p = LogJson.MAPPER.getFactory().createParser(payload)) {
            if (p.nextToken() == JsonToken.START_OBJECT) {
                int found = 0;
                while (found < 2 && p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken v = p.nextToken();
                    if ("kind".equals(name) && v == JsonToken.VALUE_STRING) {
                        k = p.getText();
                        found++;
                    } else if ("timestamp".equals(name) && v == JsonToken.VALUE_NUMBER_INT) {
                        ts = p.getLongValue();
                        found++;
                    } else {
                        p.skipChildren();
                    }
                }
            }
        } catch (IOException e) {
            // a checksummed payload that is not JSON: kind stays "", readers skip it
        }
        kind = k;
        timestamp = ts;
    }
}
