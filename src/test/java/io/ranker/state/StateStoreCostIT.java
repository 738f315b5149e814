package io.ranker.state;

import io.ranker.testing.ServiceCluster;
import io.ranker.testing.ServiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12's cost check (a benchmark, so opt-in: {@code mvn verify -Dit.test=StateStoreCostIT -Dranker.bench=true}):
 * the process CPU per {@code /v1/rank} of a replica whose state is in Redis against one whose state is local, in one
 * run, both reading features from the same Redis and serving the same demo, requests sent in alternating rounds so
 * both see the same box. The request path reads state from memory, so no difference is expected beyond noise.
 */
@EnabledIfSystemProperty(named = "ranker.bench", matches = "true")
class StateStoreCostIT {
    /** The first replica keeps its state locally, the one added later shares it (swap with -Dranker.bench.shared-first=true). */
    static final boolean SHARED_FIRST = Boolean.getBoolean("ranker.bench.shared-first");

    @RegisterExtension
    static final ServiceCluster cluster = ServiceCluster.builder().replicas(1).redisStandalone()
            .env("RANKING_STATE_STORE", SHARED_FIRST ? "redis" : "local").build();

    static final String BODY = "{\"surface\":\"search\",\"userId\":\"u%d\",\"query\":\"%s\",\"limit\":10}";
    static final String[] QUERIES = {"running shoes", "jacket", "coffee", "headphones", "lamp", "backpack"};

    @Test
    void rankCpuPerRequestWithTheSharedStoreVersusLocal() {
        ServiceProcess first = cluster.replica(0);
        ServiceProcess added = cluster.addReplica(Map.of("RANKING_STATE_STORE", SHARED_FIRST ? "local" : "redis"));
        ServiceProcess shared = SHARED_FIRST ? first : added;
        ServiceProcess local = SHARED_FIRST ? added : first;
        int warmup = Integer.getInteger("ranker.bench.warmup", 1500);
        int perRound = Integer.getInteger("ranker.bench.round", 400);
        int rounds = Integer.getInteger("ranker.bench.rounds", 10);
        send(shared, warmup);
        send(local, warmup);
        List<Double> sharedUs = new ArrayList<>();
        List<Double> localUs = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            // alternate which goes first, so neither always runs after the other's GC or JIT work
            if (r % 2 == 0) {
                sharedUs.add(cpuMicrosPerRequest(shared, perRound));
                localUs.add(cpuMicrosPerRequest(local, perRound));
            } else {
                localUs.add(cpuMicrosPerRequest(local, perRound));
                sharedUs.add(cpuMicrosPerRequest(shared, perRound));
            }
        }
        double s = median(sharedUs);
        double l = median(localUs);
        List<Double> diffs = new ArrayList<>();
        for (int i = 0; i < rounds; i++) diffs.add(sharedUs.get(i) - localUs.get(i));
        double mean = diffs.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double sd = Math.sqrt(diffs.stream().mapToDouble(d -> (d - mean) * (d - mean)).sum() / (rounds - 1));
        // idle: what each replica burns with no traffic for 10 s (the shared one checks the store every 500 ms)
        long s0 = cpu(shared), l0 = cpu(local);
        sleep(10_000);
        double sharedIdleMs = (cpu(shared) - s0) / 1e6 / 10, localIdleMs = (cpu(local) - l0) / 1e6 / 10;
        System.out.printf("StateStoreCostIT: paired difference shared - local: mean %.0f us, sd %.0f us, 95%% CI [%.0f, %.0f] us over %d rounds;"
                        + " idle CPU: shared %.1f ms/s, local %.1f ms/s (%s first)%n", mean, sd, mean - 2.0 * sd / Math.sqrt(rounds),
                mean + 2.0 * sd / Math.sqrt(rounds), rounds, sharedIdleMs, localIdleMs, SHARED_FIRST ? "shared" : "local");
        System.out.printf("StateStoreCostIT: /v1/rank process CPU per request, median of %d rounds x %d requests: shared store %.0f us,"
                + " local store %.0f us, ratio %.3f; rounds shared %s, local %s%n", rounds, perRound, s, l, s / l, fmt(sharedUs), fmt(localUs));
        assertThat(shared.client().rank(String.format(BODY, 1, "shoes")).json().path("policyVersion").asText())
                .isEqualTo(local.client().rank(String.format(BODY, 1, "shoes")).json().path("policyVersion").asText());
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static double cpuMicrosPerRequest(ServiceProcess p, int n) {
        long before = cpu(p);
        send(p, n);
        return (cpu(p) - before) / 1000.0 / n;
    }

    static long cpu(ServiceProcess p) {
        return ProcessHandle.of(p.pid()).flatMap(h -> h.info().totalCpuDuration()).map(Duration::toNanos).orElseThrow();
    }

    static void send(ServiceProcess p, int n) {
        for (int i = 0; i < n; i++) p.client().rank(String.format(BODY, i % 500, QUERIES[i % QUERIES.length])).expect(200);
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        return s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
    }

    static String fmt(List<Double> xs) {
        return xs.stream().map(x -> String.format("%.0f", x)).toList().toString();
    }
}
