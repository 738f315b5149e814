package io.ranker.api;

import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AdmissionGateTest {

    @Test
    void refusesWhenFullAfterWaitingAndAdmitsAgainOnceASlotFrees() {
        AdmissionGate gate = new AdmissionGate(2, 30);
        AdmissionGate.Permit a = gate.enter();
        AdmissionGate.Permit b = gate.enter();
        assertThat(gate.inFlight()).isEqualTo(2);
        long t0 = System.nanoTime();
        assertThatThrownBy(gate::enter).isInstanceOf(AdmissionGate.OverloadedException.class)
                .hasMessageContaining("2 ranking requests running");
        assertThat((System.nanoTime() - t0) / 1_000_000).as("waited for a slot before refusing").isGreaterThanOrEqualTo(25);
        assertThat(gate.refused()).isEqualTo(1);
        a.close();
        a.close(); // closing twice must not free a second slot
        try (AdmissionGate.Permit c = gate.enter()) {
            assertThat(gate.inFlight()).isEqualTo(2);
            assertThatThrownBy(gate::enter).isInstanceOf(AdmissionGate.OverloadedException.class);
        }
        b.close();
        assertThat(gate.inFlight()).isZero();
        assertThat(gate.admitted()).isEqualTo(3);
        assertThat(gate.refused()).isEqualTo(2);
    }

    @Test
    void aRequestWaitingForASlotGetsItWhenOneFreesWithinTheWait() throws Exception {
        AdmissionGate gate = new AdmissionGate(1, 5_000);
        AdmissionGate.Permit held = gate.enter();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Boolean> waiter = pool.submit(() -> {
                try (AdmissionGate.Permit p = gate.enter()) {
                    return true;
                }
            });
            Thread.sleep(50);
            assertThat(waiter.isDone()).isFalse();
            held.close();
            assertThat(waiter.get(5, TimeUnit.SECONDS)).isTrue();
        } finally {
            pool.shutdownNow();
        }
        assertThat(gate.refused()).isZero();
    }

    @Test
    void neverMoreThanTheLimitRunAtOnceUnderContention() throws Exception {
        int limit = 3;
        AdmissionGate gate = new AdmissionGate(limit, 0);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(12);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 12; t++) {
            done.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < 200; i++) {
                    try (AdmissionGate.Permit p = gate.enter()) {
                        peak.accumulateAndGet(running.incrementAndGet(), Math::max);
                        Thread.onSpinWait();
                        running.decrementAndGet();
                    } catch (AdmissionGate.OverloadedException refused) {
                        // expected under contention with no wait
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) f.get(30, TimeUnit.SECONDS);
        pool.shutdown();
        assertThat(peak.get()).isLessThanOrEqualTo(limit).isPositive();
        assertThat(gate.admitted() + gate.refused()).isEqualTo(12 * 200);
        assertThat(gate.inFlight()).isZero();
    }

    @Test
    void refusalIsA503ProblemWithRetryAfter() {
        Response r = new ProblemMappers().problem(new AdmissionGate.OverloadedException(16, 50), null);
        assertThat(r.getStatus()).isEqualTo(503);
        assertThat(r.getHeaderString("Retry-After")).isEqualTo("1");
        assertThat(r.getMediaType().toString()).startsWith("application/problem+json");
        assertThat(((Problem) r.getEntity()).detail()).contains("at capacity");
    }

    @Test
    void rejectsNonsenseSettings() {
        assertThatThrownBy(() -> new AdmissionGate(0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AdmissionGate(1, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
