package io.ranker.logging;

/**
 * One feedback event as written to the log (kind {@code feedback}), joined offline to its impression by
 * {@code impressionId}.
 *
 * @param type       click, conversion, add_to_cart, dwell, ... (the allowed set is configurable)
 * @param value      optional magnitude: dwell time in milliseconds, conversion value, ...; null when absent
 * @param timestamp  when it happened (epoch millis; the receive time when the caller sent none)
 * @param eventId    optional caller id; a repeated id within the dedupe window is accepted but not logged twice
 * @param receivedAt when this replica received it (epoch millis)
 */
public record FeedbackEvent(String impressionId, String itemId, String type, Double value, long timestamp,
                            String eventId, long receivedAt) {
}
