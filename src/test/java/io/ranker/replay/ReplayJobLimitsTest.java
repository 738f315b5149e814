package io.ranker.replay;

import io.ranker.config.RankingSettings;
import io.ranker.core.DomainException;
import io.ranker.explore.ExplorationControl;
import io.ranker.logging.LogSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Finding 9: replay jobs could not be cancelled, had no time or CPU limit and kept their results forever; nine
 * requests held the only worker for hours. The jobs here stand in for long replays: they check for a stop at every
 * step exactly as the replay loops do ({@link ReplayRun#stopIfInterrupted}).
 */
class ReplayJobLimitsTest {
    @TempDir
    Path data;

    ReplayJobs jobs;

    ReplayJobs jobs(int maxActive, Duration time, Duration cpu, Duration retention, int maxStored) {
        RankingSettings ranking = new RankingSettings() {
            public String dataDir() { return data.toString(); }
            public String configDir() { return "ranking-config"; }
            public Admin admin() { return Optional::empty; }
            public Optional<String> replicaId() { return Optional.empty(); }
        };
        ReplaySettings replay = new ReplaySettings() {
            public int threads() { return 1; }
            public int queueSize() { return 8; }
            public int maxJobs() { return 50; }
            public int bootstrapReplicates() { return 20; }
            public int maxActivePerCaller() { return maxActive; }
            public Duration timeLimit() { return time; }
            public Duration cpuLimit() { return cpu; }
            public Duration resultTtl() { return retention; }
            public int maxStored() { return maxStored; }
            public int progressEvery() { return 1000; }
        };
        LogSettings log = (LogSettings) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{LogSettings.class},
                (p, m, a) -> m.getName().equals("dir") ? Optional.empty() : null);
        jobs = new ReplayJobs(ranking, replay, log, new ExplorationControl(), new FileJobStore(data.resolve("replay")), null, null);
        return jobs;
    }

    @AfterEach
    void stop() {
        if (jobs != null) jobs.stop();
    }

    /** A long replay: waits in small steps, checking for a stop as the replay loops do. */
    static final ReplayJobs.Work SLOW = progress -> {
        for (long i = 0; ; i++) {
            ReplayRun.stopIfInterrupted();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            progress.update(i, Long.MAX_VALUE);
        }
    };

    /** A replay that burns CPU. */
    static final ReplayJobs.Work BUSY = progress -> {
        long x = 0;
        while (true) {
            for (int i = 0; i < 1_000_000; i++) x += i ^ x;
            ReplayRun.stopIfInterrupted();
            if (x == 42) return Map.of();
        }
    };

    static Map<String, Object> await(ReplayJobs jobs, String id, String status, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            Map<String, Object> v = jobs.view(id).orElseThrow();
            if (status.equals(v.get("status"))) return v;
            if (System.nanoTime() > deadline) throw new AssertionError("job " + id + " is " + v.get("status") + ", not " + status + ": " + v);
            Thread.sleep(50);
        }
    }

    @Test
    void runningAndQueuedJobsCanBeCancelledAndTheWorkerIsFreedAtOnce() throws Exception {
        ReplayJobs jobs = jobs(5, Duration.ofMinutes(10), Duration.ofMinutes(10), Duration.ofDays(7), 100);
        ReplayJob running = jobs.enqueue("feed", "a", SLOW);
        ReplayJob queued = jobs.enqueue("feed", "a", SLOW);
        await(jobs, running.id(), "running", Duration.ofSeconds(5));
        assertThat(jobs.view(queued.id()).orElseThrow().get("queued")).isEqualTo(true);

        assertThat(jobs.cancel(queued.id())).isTrue();
        assertThat(jobs.view(queued.id()).orElseThrow().get("status")).isEqualTo("cancelled");
        assertThat(jobs.cancel(running.id())).isTrue();
        Map<String, Object> v = await(jobs, running.id(), "cancelled", Duration.ofSeconds(5));
        assertThat(((Map<?, ?>) v.get("error")).get("kind")).isEqualTo("cancelled");

        ReplayJob next = jobs.enqueue("feed", "a", progress -> Map.of("ok", true));
        assertThat(await(jobs, next.id(), "done", Duration.ofSeconds(5)).get("result")).isEqualTo(Map.of("ok", true));
        // a finished job: cancel deletes its stored result
        assertThat(Files.exists(data.resolve("replay").resolve(next.id() + ".json"))).isTrue();
        assertThat(jobs.cancel(next.id())).isTrue();
        assertThat(jobs.view(next.id())).isEmpty();
        assertThat(jobs.cancel(next.id())).isFalse();
        assertThat(jobs.cancel("../../etc/passwd")).isFalse();
    }

    @Test
    void eachCallerHasAQuotaOfActiveJobs() throws Exception {
        ReplayJobs jobs = jobs(2, Duration.ofMinutes(10), Duration.ofMinutes(10), Duration.ofDays(7), 100);
        ReplayJob a1 = jobs.enqueue("feed", "analyst", SLOW);
        jobs.enqueue("feed", "analyst", SLOW);
        assertThatThrownBy(() -> jobs.enqueue("feed", "analyst", SLOW)).isInstanceOfSatisfying(DomainException.class,
                e -> {
                    assertThat(e.kind()).isEqualTo(DomainException.Kind.QUOTA_EXCEEDED);
                    assertThat(e.getMessage()).contains("'analyst' has 2 replay jobs").contains("DELETE /v1/replay/");
                });
        ReplayJob other = jobs.enqueue("feed", "pipeline", progress -> Map.of());
        assertThat(other).isNotNull();
        jobs.cancel(a1.id());
        await(jobs, a1.id(), "cancelled", Duration.ofSeconds(5));
        assertThat(jobs.enqueue("feed", "analyst", progress -> Map.of())).as("a freed slot").isNotNull();
    }

    @Test
    void aJobPastItsTimeLimitIsStopped() throws Exception {
        ReplayJobs jobs = jobs(5, Duration.ofSeconds(2), Duration.ofMinutes(10), Duration.ofDays(7), 100);
        ReplayJob j = jobs.enqueue("feed", "a", SLOW);
        Map<String, Object> v = await(jobs, j.id(), "failed", Duration.ofSeconds(10));
        assertThat(((Map<?, ?>) v.get("error")).get("kind")).isEqualTo("limit");
        assertThat(String.valueOf(((Map<?, ?>) v.get("error")).get("detail"))).contains("ranking.replay.time-limit");
    }

    @Test
    void aJobPastItsCpuLimitIsStopped() throws Exception {
        ReplayJobs jobs = jobs(5, Duration.ofMinutes(10), Duration.ofSeconds(1), Duration.ofDays(7), 100);
        ReplayJob j = jobs.enqueue("feed", "a", BUSY);
        Map<String, Object> v = await(jobs, j.id(), "failed", Duration.ofSeconds(30));
        assertThat(String.valueOf(((Map<?, ?>) v.get("error")).get("detail"))).contains("ranking.replay.cpu-limit");
    }

    @Test
    void resultsAreDeletedAfterTheirRetentionAndBeyondTheCap() throws Exception {
        ReplayJobs jobs = jobs(5, Duration.ofMinutes(10), Duration.ofMinutes(10), Duration.ofDays(7), 3);
        Path dir = Files.createDirectories(data.resolve("replay"));
        for (int i = 0; i < 6; i++) {
            Path f = Files.writeString(dir.resolve("00000000-0000-0000-0000-00000000000" + i + ".json"), "{}");
            Files.setLastModifiedTime(f, FileTime.from(Instant.now().minus(Duration.ofHours(i))));
        }
        Path old = Files.writeString(dir.resolve("00000000-0000-0000-0000-000000000009.json"), "{}");
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofDays(8))));
        jobs.prune();
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted().toList()).containsExactly(
                    "00000000-0000-0000-0000-000000000000.json", "00000000-0000-0000-0000-000000000001.json",
                    "00000000-0000-0000-0000-000000000002.json");
        }
    }
}
