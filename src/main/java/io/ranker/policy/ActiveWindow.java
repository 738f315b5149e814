package io.ranker.policy;

import java.time.Instant;

/** When a rule is in force: {@code from} inclusive, {@code until} exclusive, either open. */
public record ActiveWindow(Instant from, Instant until) {
    public static final ActiveWindow ALWAYS = new ActiveWindow(null, null);

    public boolean contains(long epochMillis) {
        return (from == null || epochMillis >= from.toEpochMilli())
                && (until == null || epochMillis < until.toEpochMilli());
    }
}
