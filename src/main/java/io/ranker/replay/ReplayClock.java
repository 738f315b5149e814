package io.ranker.replay;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock the replay sets to each impression's own time before re-running its policy, so time-dependent rules
 * (freshness, active windows, exclude_seen windows) see the moment the request was served, not today.
 * One replay runs on one thread, so a plain field is enough.
 */
final class ReplayClock extends Clock {
    private long millis;

    void set(long epochMillis) {
        this.millis = epochMillis;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public long millis() {
        return millis;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis);
    }
}
