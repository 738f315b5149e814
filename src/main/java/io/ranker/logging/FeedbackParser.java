package io.ranker.logging;

import io.ranker.core.FieldError;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ranker.core.DomainException;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Turns a {@code POST /v1/feedback} body into a {@link FeedbackEvent}, or a 400 naming every bad field
 * (JSON pointer and what to send instead).
 */
public final class FeedbackParser {
    static final int MAX_ID_LENGTH = 256;
    /** A day, in milliseconds: a longer dwell is a client bug. */
    static final double MAX_DWELL_MILLIS = 86_400_000d;
    static final double MAX_ABS_VALUE = 1e12;
    /** Epoch millis below this (March 1973) are almost certainly epoch seconds. */
    private static final long MIN_PLAUSIBLE_MILLIS = 100_000_000_000L;
    /** Repeated keys are refused too: "last one wins" would let two readers of one event disagree. */
    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    /** Unknown fields are mistakes (a misspelt "timestamp" would silently become the receive time). */
    static final List<String> FIELDS = List.of("impressionId", "itemId", "type", "value", "timestamp", "eventId");

    private final FeedbackRules rules;

    public FeedbackParser(FeedbackRules rules) {
        this.rules = rules;
    }

    public FeedbackEvent parse(byte[] body, long now) {
        if (body == null || body.length == 0) {
            throw DomainException.invalid("", "The body is empty: send a JSON object with impressionId, itemId and type");
        }
        JsonNode n;
        try {
            n = STRICT.readTree(body);
        } catch (JsonProcessingException e) {
            throw DomainException.invalid("", "The body is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
        } catch (IOException e) {
            throw DomainException.invalid("", "The body could not be read: " + e.getMessage());
        }
        if (n == null || !n.isObject()) {
            throw DomainException.invalid("", "The body must be a JSON object with impressionId, itemId and type");
        }
        List<FieldError> errors = new ArrayList<>();
        n.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) errors.add(FieldError.at("/" + f, "is not a feedback field; known fields: " + FIELDS));
        });
        String impressionId = id(n, "impressionId", true, errors);
        String itemId = id(n, "itemId", true, errors);
        String eventId = id(n, "eventId", false, errors);
        String type = type(n, errors);
        Double value = value(n, type, errors);
        long timestamp = timestamp(n, now, errors);
        if (!errors.isEmpty()) {
            String detail = "Feedback rejected: " + String.join("; ", errors.stream().map(e -> e.pointer() + " " + e.message()).toList());
            throw new DomainException(DomainException.Kind.INVALID, "Bad request", detail, errors);
        }
        return new FeedbackEvent(impressionId, itemId, type, value, timestamp, eventId, now);
    }

    private static String id(JsonNode n, String field, boolean required, List<FieldError> errors) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) errors.add(FieldError.at("/" + field, "is required"));
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            errors.add(FieldError.at("/" + field, "must be a non-empty string"));
            return null;
        }
        if (v.asText().length() > MAX_ID_LENGTH) {
            errors.add(FieldError.at("/" + field, "is longer than " + MAX_ID_LENGTH + " characters"));
            return null;
        }
        return v.asText();
    }

    private String type(JsonNode n, List<FieldError> errors) {
        JsonNode v = n.get("type");
        if (v == null || v.isNull()) {
            errors.add(FieldError.at("/type", "is required (one of " + new TreeSet<>(rules.types()) + ")"));
            return null;
        }
        if (!v.isTextual() || !rules.types().contains(v.asText())) {
            errors.add(FieldError.at("/type", "'" + v.asText() + "' is not a known feedback type; use one of "
                    + new TreeSet<>(rules.types())));
            return null;
        }
        return v.asText();
    }

    private static Double value(JsonNode n, String type, List<FieldError> errors) {
        JsonNode v = n.get("value");
        if (v == null || v.isNull()) {
            if ("dwell".equals(type)) errors.add(FieldError.at("/value", "is required for dwell (milliseconds)"));
            return null;
        }
        if (!v.isNumber()) {
            errors.add(FieldError.at("/value", "must be a number"));
            return null;
        }
        double d = v.asDouble();
        if (!Double.isFinite(d) || Math.abs(d) > MAX_ABS_VALUE) {
            errors.add(FieldError.at("/value", "must be a finite number of magnitude at most " + MAX_ABS_VALUE));
            return null;
        }
        if ("dwell".equals(type) && (d < 0 || d > MAX_DWELL_MILLIS)) {
            errors.add(FieldError.at("/value", "dwell must be between 0 and " + (long) MAX_DWELL_MILLIS
                    + " milliseconds, got " + d));
            return null;
        }
        return d;
    }

    private long timestamp(JsonNode n, long now, List<FieldError> errors) {
        JsonNode v = n.get("timestamp");
        if (v == null || v.isNull()) return now;
        long ts;
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            ts = v.asLong();
            if (ts < MIN_PLAUSIBLE_MILLIS && ts > -MIN_PLAUSIBLE_MILLIS) {
                errors.add(FieldError.at("/timestamp", ts + " looks like epoch seconds; send epoch milliseconds"));
                return now;
            }
        } else if (v.isTextual()) {
            try {
                ts = Instant.parse(v.asText()).toEpochMilli();
            } catch (DateTimeParseException | ArithmeticException e) {
                errors.add(FieldError.at("/timestamp", "must be epoch milliseconds or an ISO-8601 instant such as 2026-01-31T12:00:00Z"));
                return now;
            }
        } else {
            errors.add(FieldError.at("/timestamp", "must be epoch milliseconds or an ISO-8601 instant"));
            return now;
        }
        if (ts > now + rules.maxFutureSkew().toMillis()) {
            errors.add(FieldError.at("/timestamp", "is " + (ts - now) / 1000 + " s in the future (allowed skew: "
                    + rules.maxFutureSkew().toSeconds() + " s)"));
        } else if (ts < now - rules.maxAge().toMillis()) {
            errors.add(FieldError.at("/timestamp", "is older than the accepted " + rules.maxAge().toDays() + " days"));
        }
        return ts;
    }
}
