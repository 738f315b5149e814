package io.ranker.replay;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Future;

/** One replay job of this replica ({@link ReplayJobs}); fields are written by the job thread and read by request threads. */
public final class ReplayJob {
    final String id;
    final String surface;
    final String owner;
    final String replica;
    final Instant created = Instant.now();
    volatile long savedAt;
    volatile String status = "queued";
    volatile long processed;
    volatile long total;
    volatile Map<String, Object> result;
    volatile Map<String, Object> error;
    volatile Future<?> future;
    volatile Thread thread;
    volatile long startedNanos;
    volatile long startedCpuNanos = -1;
    /** Why the watchdog or a cancellation stopped it; null while it may run. */
    volatile String stopReason;
    volatile String stopKind;

    ReplayJob(String id, String surface, String owner, String replica) {
        this.id = id;
        this.surface = surface;
        this.owner = owner;
        this.replica = replica;
    }

    public String id() { return id; }

    boolean active() {
        return status.equals("queued") || status.equals("running");
    }

    /** The job's JSON view ({@code GET /v1/replay/{jobId}}). */
    public Map<String, Object> view() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("jobId", id);
        m.put("surface", surface);
        m.put("owner", owner);
        m.put("replica", replica);
        String s = status;
        m.put("status", s.equals("queued") ? "running" : s);
        m.put("queued", s.equals("queued"));
        m.put("created", created.toString());
        double progress = s.equals("done") ? 1.0 : total > 0 ? Math.min(0.99, (double) processed / total) : 0.0;
        m.put("progress", progress);
        m.put("processed", processed);
        m.put("result", result);
        m.put("error", error);
        return m;
    }
}
