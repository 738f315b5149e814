package io.ranker.api;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Admission control for ranking requests: at most {@code maxInFlight} run at once; a request that cannot start
 * within {@code maxWaitMillis} is refused at once (503 with Retry-After) instead of queueing. Without it, a
 * service past saturation queues every request behind the others, so all of them miss their budget and the
 * queue only grows; with it, the admitted requests keep their latency and the caller (or its load balancer)
 * retries elsewhere. Plain Java so the policy is unit-testable; {@link AdmissionBeans} builds the service's.
 */
public final class AdmissionGate {
    private final int maxInFlight;
    private final long maxWaitMillis;
    private final Semaphore permits;
    private final AtomicLong admitted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    public AdmissionGate(int maxInFlight, long maxWaitMillis) {
        if (maxInFlight < 1) throw new IllegalArgumentException("maxInFlight must be >= 1, got " + maxInFlight);
        if (maxWaitMillis < 0) throw new IllegalArgumentException("maxWaitMillis must be >= 0, got " + maxWaitMillis);
        this.maxInFlight = maxInFlight;
        this.maxWaitMillis = maxWaitMillis;
        this.permits = new Semaphore(maxInFlight);
    }

    /** A running request's hold on the gate; closing it lets the next one in. */
    public interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Waits up to the configured time for a slot.
     *
     * @throws OverloadedException when none frees up in time (the request must not run)
     */
    public Permit enter() {
        boolean got;
        try {
            got = maxWaitMillis == 0 ? permits.tryAcquire() : permits.tryAcquire(maxWaitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            got = false;
        }
        if (!got) {
            refused.incrementAndGet();
            throw new OverloadedException(maxInFlight, maxWaitMillis);
        }
        admitted.incrementAndGet();
        return new Permit() {
            private boolean closed;

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    permits.release();
                }
            }
        };
    }

    public int maxInFlight() { return maxInFlight; }

    public long maxWaitMillis() { return maxWaitMillis; }

    public int inFlight() { return maxInFlight - permits.availablePermits(); }

    public long admitted() { return admitted.get(); }

    public long refused() { return refused.get(); }

    /** 503 for a request the gate refused; the mapper adds {@code Retry-After}. */
    public static final class OverloadedException extends ProblemException {
        public OverloadedException(int maxInFlight, long maxWaitMillis) {
            super(503, "Overloaded", "the service is at capacity (" + maxInFlight + " ranking requests running; none finished within "
                    + maxWaitMillis + " ms); retry shortly, preferably on another replica");
        }

        @Override
        public java.util.Map<String, Object> headers() { return java.util.Map.of("Retry-After", 1); }
    }
}
