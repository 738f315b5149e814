package io.ranker.replay;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Stops replay jobs that run too long: every second, a running job past {@code ranking.replay.time-limit} of wall
 * time or {@code cpu-limit} of its thread's CPU is interrupted (the replay loops check at every record,
 * {@link ReplayRun#stopIfInterrupted}) and ends failed with kind {@code limit}. Every hour it also has the stored
 * results pruned.
 */
final class ReplayWatchdog implements AutoCloseable {
    private final ReplaySettings replay;
    private final Supplier<List<ReplayJob>> running;
    private final ScheduledExecutorService timer;

    ReplayWatchdog(ReplaySettings replay, Supplier<List<ReplayJob>> running, Runnable prune) {
        this.replay = replay;
        this.running = running;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "replay-watchdog");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::enforceLimits, 1, 1, TimeUnit.SECONDS);
        timer.scheduleWithFixedDelay(prune, 0, 1, TimeUnit.HOURS);
    }

    /** Marks the job stopped (the first reason wins) and interrupts its thread if it runs. */
    static void stop(ReplayJob job, String kind, String reason) {
        synchronized (job) {
            if (job.stopReason != null) return;
            job.stopKind = kind;
            job.stopReason = reason;
        }
        Thread t = job.thread;
        if (t != null) t.interrupt();
    }

    /** This thread's CPU time so far, or -1 where the JVM does not measure it. */
    static long threadCpuNanos() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        return mx.isCurrentThreadCpuTimeSupported() ? mx.getCurrentThreadCpuTime() : -1;
    }

    void enforceLimits() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (ReplayJob j : running.get()) {
            Thread t = j.thread;
            if (t == null) continue;
            long wall = System.nanoTime() - j.startedNanos;
            if (wall > replay.timeLimit().toNanos()) {
                stop(j, "limit", "stopped after " + replay.timeLimit().toSeconds() + " s of running (ranking.replay.time-limit): "
                        + "narrow the range (from/to) or set maxImpressions");
                continue;
            }
            // the pool thread's CPU counts every job it ran: only what it used since this one started is this job's
            long cpu = mx.isThreadCpuTimeSupported() && j.startedCpuNanos >= 0 ? mx.getThreadCpuTime(t.threadId()) - j.startedCpuNanos : -1;
            if (cpu > replay.cpuLimit().toNanos()) {
                stop(j, "limit", "stopped after " + replay.cpuLimit().toSeconds() + " s of CPU (ranking.replay.cpu-limit): "
                        + "narrow the range (from/to) or set maxImpressions");
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
