package io.ranker.logging;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The JSON used inside log frames: compact, nulls omitted, NaN written as the string "NaN" so that every
 * line of {@code logs dump} is standard JSON, and readers tolerant of fields added later.
 */
public final class LogJson {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER) // Schubfach: floats of candidate features are most of the bytes
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER) // same values as Double.parseDouble, read 2-3x faster (replay)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    public static final String IMPRESSION = "impression";
    public static final String FEEDBACK = "feedback";

    private LogJson() {
    }

    /**
     * What a frame holds: {@code {"kind": ..., "replica": ..., <the record's fields>}}; {@code replica} (the replica
     * that wrote it) is absent from records written before replicas had ids.
     */
    @JsonPropertyOrder({"kind", "replica"})
    record Envelope(String kind, String replica, @JsonUnwrapped Object body) {
        Envelope(String kind, Object body) {
            this(kind, null, body);
        }
    }
}
