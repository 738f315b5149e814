package io.ranker.features;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Keeps requests away from a store that keeps failing. After {@code failureThreshold} consecutive failures
 * (errors or timeouts) it opens: requests skip the store at once, so a dead or paused Redis costs them no time.
 * While open, at most one background probe runs every {@code openMillis}; the first probe that succeeds closes
 * it again. Requests never act as the probe, so no request pays for finding out that the store is still down.
 */
public final class CircuitBreaker {
    private final int failureThreshold;
    private final long openMillis;
    private final LongSupplier clockMillis;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicBoolean probing = new AtomicBoolean();
    private volatile boolean open;
    private volatile long nextProbeAt;
    private volatile long openedTimes;

    public CircuitBreaker(int failureThreshold, long openMillis, LongSupplier clockMillis) {
        this.failureThreshold = Math.max(1, failureThreshold);
        this.openMillis = openMillis;
        this.clockMillis = clockMillis;
    }

    public boolean isOpen() {
        return open;
    }

    /** How many times it opened since start (metrics, tests). */
    public long openedTimes() {
        return openedTimes;
    }

    public void onSuccess() {
        consecutiveFailures.set(0);
    }

    public void onFailure() {
        if (consecutiveFailures.incrementAndGet() >= failureThreshold && !open) {
            open = true;
            openedTimes++;
            nextProbeAt = clockMillis.getAsLong() + openMillis;
        }
    }

    /** True for exactly one caller when a probe is due; that caller must report {@link #probeFinished}. */
    public boolean tryStartProbe() {
        return open && clockMillis.getAsLong() >= nextProbeAt && probing.compareAndSet(false, true);
    }

    public void probeFinished(boolean succeeded) {
        if (succeeded) {
            consecutiveFailures.set(0);
            open = false;
        } else {
            nextProbeAt = clockMillis.getAsLong() + openMillis;
        }
        probing.set(false);
    }
}
