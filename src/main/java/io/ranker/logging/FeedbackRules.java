package io.ranker.logging;

import java.time.Duration;
import java.util.Set;

/** What feedback is acceptable (plain form of {@code ranking.log.feedback.*}). */
public record FeedbackRules(Set<String> types, int dedupeWindow, Duration maxFutureSkew, Duration maxAge) {
    public static final Set<String> DEFAULT_TYPES =
            Set.of("click", "conversion", "add_to_cart", "purchase", "dwell", "like", "dislike", "skip", "share", "hide");

    public static FeedbackRules defaults() {
        return new FeedbackRules(DEFAULT_TYPES, 100_000, Duration.ofMinutes(5), Duration.ofDays(30));
    }
}
