package io.ranker.replay;

import io.ranker.core.FieldError;
import io.ranker.core.DomainException;
import io.ranker.config.RankingSettings;
import io.ranker.explore.ExplorationControl;
import io.ranker.explore.SurfaceExplorer;
import io.ranker.logging.LogSettings;
import io.ranker.replay.ope.OpeSettings;
import io.ranker.policy.PolicyRegistry;
import io.ranker.policy.PolicyVersionStore;
import io.ranker.policy.ValidationLimits;
import io.ranker.scoring.ScoringService;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Replay jobs of the service ({@code POST /v1/replay}): validated at submission (bad input is a 400/422 at once),
 * run on a small bounded executor (replays are CPU-heavy and must not starve serving), with progress. A job runs on
 * the replica that accepted it; its status, progress and result go to the {@link JobStore} (the data directory, or
 * the shared store where every replica reads them), and a job whose replica is gone reads as failed, never as
 * running forever. Read-only: a replay never writes the log, the registry or the policies.
 * <p>Limits, so that a few requests cannot hold the replay worker for hours: each caller (API key) may have
 * {@code ranking.replay.max-active-per-caller} jobs queued or running on a replica (429 beyond); a job can be
 * cancelled ({@link #cancel}); the {@link ReplayWatchdog} stops a job past {@code time-limit} of wall time or
 * {@code cpu-limit} of its thread's CPU (by interrupting it: the replay loops check at every record); stored results
 * go after {@code result-ttl} and, in the data directory, beyond {@code max-stored}.
 */
@ApplicationScoped
public class ReplayJobs {
    private static final Logger LOG = Logger.getLogger(ReplayJobs.class);
    private static final Pattern JOB_ID = Pattern.compile("[a-f0-9-]{36}");
    private static final Pattern SURFACE = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    /**
     * The body of {@code POST /v1/replay} (the web console sends the first seven; {@code explorer} is the
     * candidate explorer, in the pipeline file's {@code explorer:} format, e.g. {@code {"type": "plackett-luce",
     * "epsilon": 0.1}}; absent = the surface's live explorer).
     */
    public record Submission(String surface, String policyYaml, String modelVersion, String from, String to,
                             Long maxImpressions, Map<String, Double> rewardWeights, Map<String, Object> explorer) {
    }

    private final RankingSettings settings;
    private final ReplaySettings replay;
    private final LogSettings logSettings;
    private final ExplorationControl exploration;
    private final ThreadPoolExecutor executor;
    private final Map<String, ReplayJob> jobs;
    private final ReplayWatchdog watchdog;
    private final JobStore store;
    private final PolicyVersionStore policies;
    private final Instance<ScoringService> scoring;
    /** What rule sets are validated against (live catalog attributes, surfaces with a pipeline): read at each submission. */
    private final Instance<PolicyRegistry> registry;
    private final String replica;

    @Inject
    public ReplayJobs(RankingSettings settings, ReplaySettings replay, LogSettings logSettings, ExplorationControl exploration,
                      Instance<JobStore> store, Instance<PolicyVersionStore> policies, Instance<ScoringService> scoring,
                      Instance<PolicyRegistry> registry) {
        this(settings, replay, logSettings, exploration,
                store.isResolvable() ? store.get() : new FileJobStore(Path.of(settings.dataDir(), "replay")),
                policies.isResolvable() ? policies.get() : null, scoring, registry);
    }

    /** Without a policy registry: candidate rule sets are checked without the live catalog's attributes. */
    ReplayJobs(RankingSettings settings, ReplaySettings replay, LogSettings logSettings, ExplorationControl exploration,
               JobStore store, PolicyVersionStore policies, Instance<ScoringService> scoring) {
        this(settings, replay, logSettings, exploration, store, policies, scoring, null);
    }

    private ReplayJobs(RankingSettings settings, ReplaySettings replay, LogSettings logSettings, ExplorationControl exploration,
                       JobStore store, PolicyVersionStore policies, Instance<ScoringService> scoring,
                       Instance<PolicyRegistry> registry) {
        this.registry = registry;
        this.settings = settings;
        this.replay = replay;
        this.logSettings = logSettings;
        this.exploration = exploration;
        this.store = store;
        this.policies = policies;
        this.scoring = scoring;
        this.replica = io.ranker.config.ReplicaId.resolve(settings.replicaId()); // as in its log and the state store
        AtomicInteger n = new AtomicInteger();
        int threads = Math.max(1, replay.threads());
        this.executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(Math.max(1, replay.queueSize())), r -> {
                    Thread t = new Thread(r, "replay-" + n.incrementAndGet());
                    t.setDaemon(true);
                    t.setPriority(Thread.MIN_PRIORITY); // serving first
                    return t;
                });
        int max = Math.max(1, replay.maxJobs());
        this.jobs = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, ReplayJob> eldest) {
                return size() > max && !eldest.getValue().status.equals("running") && !eldest.getValue().status.equals("queued");
            }
        };
        this.watchdog = new ReplayWatchdog(replay, this::runningJobs, this::prune);
    }

    /** Stops the running jobs and waits a little for them to store their final state (failed, "the service stopped"). */
    @PreDestroy
    void stop() {
        watchdog.close();
        synchronized (jobs) {
            for (ReplayJob j : jobs.values()) if (j.active()) ReplayWatchdog.stop(j, "unavailable", "the service stopped while it ran; submit it again");
        }
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Validates and queues a replay.
     *
     * @throws DomainException 400/422 with pointers for bad input, 503 when the queue is full
     */
    public ReplayJob submit(Submission body) {
        return submit(body, "local");
    }

    /**
     * @param owner the caller's name (its API key's): the per-caller quota counts by it
     * @throws DomainException 429 when the caller already has its share of jobs queued or running
     */
    public ReplayJob submit(Submission body, String owner) {
        if (body == null) throw DomainException.invalid("a JSON body with at least \"surface\" is required");
        if (body.surface() == null || body.surface().isBlank()) throw DomainException.invalid("/surface", "surface is required");
        if (!SURFACE.matcher(body.surface()).matches()) {
            throw DomainException.invalid("/surface", "surface must be 1-64 lowercase letters, digits, '_' or '-'");
        }
        // the checks of /v1/policies/validate and of publishing, against the live catalog and pipelines (issue 19)
        ValidationLimits limits = registry != null && registry.isResolvable() ? registry.get().limits() : null;
        String unknownSurface = limits == null ? null : limits.unknownSurface(body.surface());
        if (unknownSurface != null) {
            throw DomainException.unprocessable(unknownSurface, List.of(FieldError.at("/surface", unknownSurface)));
        }
        long from = time(body.from(), "/from", Long.MIN_VALUE);
        long to = time(body.to(), "/to", Long.MAX_VALUE);
        List<FieldError> errors = new ArrayList<>();
        if (from != Long.MIN_VALUE && to != Long.MAX_VALUE && from >= to) errors.add(FieldError.at("/to", "to must be after from"));
        if (body.maxImpressions() != null && body.maxImpressions() < 0) errors.add(FieldError.at("/maxImpressions", "maxImpressions must be >= 0"));
        if (body.policyYaml() != null && body.policyYaml().isBlank()) errors.add(FieldError.at("/policyYaml", "policyYaml is empty"));
        io.ranker.explore.ExplorerConfig explorer = body.explorer() == null ? null
                : io.ranker.explore.ExplorerConfigParser.parse(body.explorer(), "/explorer", errors);
        if (!errors.isEmpty()) throw DomainException.unprocessable(errors.get(0).message(), errors);

        ReplaySources sources = sources(body.surface()).withCandidateLimits(limits);
        ReplayRequest req = ReplayRequest.of(body.surface()).withRange(from, to)
                .withMaxImpressions(body.maxImpressions() == null ? 0 : body.maxImpressions())
                .withOpe(OpeSettings.forReplay(Math.max(20, replay.bootstrapReplicates())))
                .withProgressEvery(replay.progressEvery());
        if (body.rewardWeights() != null) {
            try {
                req = req.withRewards(new RewardWeights(body.rewardWeights()));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw DomainException.unprocessable("invalid rewardWeights", List.of(FieldError.at("/rewardWeights",
                        "reward weights must map feedback types to finite numbers")));
            }
        }
        if (body.modelVersion() != null) {
            // a version uploaded through another replica is fetched into this one's data directory first
            if (scoring.isResolvable() && scoring.get().started()) {
                try {
                    scoring.get().release().registry().ensureLocal(body.modelVersion());
                } catch (io.ranker.scoring.ModelRejectedException e) {
                    throw DomainException.unprocessableAt("/modelVersion", e.getMessage());
                }
            }
            CandidateModel model = CandidateModel.fromRegistry(sources.modelsDir(), body.modelVersion(), "/modelVersion");
            LoggedStages.featureNames(sources.logDirs(), body.surface(), from, to).ifPresent(names -> {
                List<String> missing = model.missingFrom(names);
                if (!missing.isEmpty()) model.load(names); // throws the 422 naming them
            });
            req = req.withModel(model);
        }
        if (body.policyYaml() != null) req = req.withPolicy(body.policyYaml());
        if (explorer != null) req = req.withExplorer(explorer);
        ReplayRun run = new ReplayRun(sources, req); // validates the candidate policy (422 with pointers)
        return enqueue(body.surface(), owner, progress -> run.run(progress).json());
    }

    /** What a job runs: a replay, reporting progress, answering its report's JSON. */
    interface Work {
        Map<String, Object> run(ReplayRun.Progress progress);
    }

    /** Queues validated work under the caller's quota. */
    ReplayJob enqueue(String surface, String owner, Work work) {
        ReplayJob job = new ReplayJob(UUID.randomUUID().toString(), surface, owner, replica);
        synchronized (jobs) {
            long mine = jobs.values().stream().filter(j -> j.owner.equals(owner) && j.active()).count();
            if (mine >= replay.maxActivePerCaller()) {
                throw new DomainException(DomainException.Kind.QUOTA_EXCEEDED, "Too many replay jobs", "'" + owner + "' has "
                        + mine + " replay jobs queued or running (ranking.replay.max-active-per-caller = " + replay.maxActivePerCaller()
                        + "); wait for one to finish or cancel one (DELETE /v1/replay/{jobId})");
            }
            jobs.put(job.id, job);
        }
        // stored (and kept alive) before it is acknowledged, so every replica can answer for it at once
        store.running(job.id, true);
        try {
            store.save(job.id, job.view());
        } catch (RuntimeException e) {
            store.running(job.id, false);
            synchronized (jobs) {
                jobs.remove(job.id);
            }
            throw e;
        }
        try {
            job.future = executor.submit(() -> execute(job, work));
        } catch (RejectedExecutionException e) {
            synchronized (jobs) {
                jobs.remove(job.id);
            }
            job.status = "failed";
            job.error = error("unavailable", "Replay queue full", "the replay queue was full", List.of());
            persist(job);
            throw new DomainException(DomainException.Kind.UNAVAILABLE, "Replay queue full", "too many replay jobs are queued ("
                    + replay.queueSize() + "); retry when one finishes");
        }
        return job;
    }

    private ReplaySources sources(String surface) {
        ReplaySources s = ReplaySources.standard(Path.of(settings.dataDir()), Path.of(settings.configDir()), surface);
        if (policies != null) s = s.withPolicies(policies);
        Optional<String> logDir = logSettings.dir();
        if (logDir.isPresent()) s = s.withLogDir(Path.of(logDir.get()));
        // The explorer the surface serves with now (it may have been changed at run time, not only in the file).
        Optional<SurfaceExplorer> live = exploration.surface(surface);
        if (live.isPresent()) s = s.withExplorer(live.get().config());
        return s;
    }

    private void execute(ReplayJob job, Work work) {
        if (job.stopReason != null) { // cancelled while queued, just as it was taken from the queue
            job.error = error(job.stopKind, "Replay cancelled", "cancelled before it started", List.of());
            job.status = "cancelled";
            persist(job);
            return;
        }
        job.thread = Thread.currentThread();
        job.startedNanos = System.nanoTime();
        job.startedCpuNanos = ReplayWatchdog.threadCpuNanos();
        job.status = "running";
        try {
            job.result = work.run((done, total) -> {
                job.processed = done;
                job.total = total;
                long now = System.currentTimeMillis();
                if (store.shared() && now - job.savedAt >= 500) persist(job); // progress readable everywhere
            });
            job.status = "done";
        } catch (DomainException e) {
            job.error = error(e.kind().name().toLowerCase(java.util.Locale.ROOT), e.title(), e.getMessage(), e.errors());
            job.status = "failed";
        } catch (RuntimeException | Error e) {
            if (job.stopReason != null) {
                job.error = error(job.stopKind, job.stopKind.equals("cancelled") ? "Replay cancelled" : "Replay stopped", job.stopReason, List.of());
                job.status = job.stopKind.equals("cancelled") ? "cancelled" : "failed";
            } else {
                LOG.errorf(e, "replay job %s failed", job.id);
                job.error = error("internal", "Replay failed", String.valueOf(e), List.of());
                job.status = "failed";
            }
        } finally {
            job.thread = null;
            Thread.interrupted(); // a stop that came after the run ended must not leak into the pool's next task
        }
        persist(job);
    }

    /**
     * Cancels a queued or running job of this replica (it ends as {@code cancelled}), or deletes a finished job's
     * stored result.
     *
     * @return false when there is no such job
     * @throws DomainException 409 when the job runs on another replica (a shared store lists it; cancel it there)
     */
    public boolean cancel(String jobId) {
        if (jobId == null || !JOB_ID.matcher(jobId).matches()) return false;
        ReplayJob job;
        synchronized (jobs) {
            job = jobs.get(jobId);
        }
        if (job != null && job.active()) {
            ReplayWatchdog.stop(job, "cancelled", "cancelled by a caller");
            if (job.status.equals("queued") && job.future != null && job.future.cancel(false)) {
                executor.purge();
                job.error = error("cancelled", "Replay cancelled", "cancelled before it started", List.of());
                job.status = "cancelled";
                persist(job);
            }
            return true;
        }
        if (job == null) {
            Optional<JobStore.Stored> stored = store.load(jobId);
            if (stored.isPresent() && stored.get().alive()) {
                throw new DomainException(DomainException.Kind.CONFLICT, "Replay runs elsewhere", "replay job " + jobId + " runs on replica '"
                        + stored.get().view().get("replica") + "'; send the DELETE to that replica");
            }
        }
        boolean existed = job != null;
        synchronized (jobs) {
            jobs.remove(jobId);
        }
        return store.delete(jobId) || existed;
    }

    private List<ReplayJob> runningJobs() {
        synchronized (jobs) {
            return jobs.values().stream().filter(j -> j.status.equals("running")).toList();
        }
    }

    /** Deletes stored results older than {@code result-ttl}, then the oldest beyond {@code max-stored}. */
    void prune() {
        store.prune(replay.resultTtl(), replay.maxStored());
    }

    private static Map<String, Object> error(String kind, String title, String detail, List<FieldError> errors) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind);
        m.put("title", title);
        m.put("detail", detail);
        m.put("errors", errors);
        return m;
    }

    /** Saves the job's view; a store that cannot be reached is retried at the next save (the job still runs). */
    private void persist(ReplayJob job) {
        job.savedAt = System.currentTimeMillis();
        boolean finished = !job.active();
        try {
            store.save(job.id, job.view());
            if (finished) store.running(job.id, false);
        } catch (RuntimeException e) {
            LOG.warnf("cannot store replay job %s: %s", job.id, e.getMessage());
        }
    }

    /**
     * A job's view: from memory when it runs here, else from the store. A job stored as running whose replica is not
     * alive any more reads as failed (and is stored so).
     */
    public Optional<Map<String, Object>> view(String jobId) {
        if (jobId == null || !JOB_ID.matcher(jobId).matches()) return Optional.empty();
        synchronized (jobs) {
            ReplayJob j = jobs.get(jobId);
            if (j != null) return Optional.of(j.view());
        }
        Optional<JobStore.Stored> stored = store.load(jobId);
        if (stored.isEmpty()) return Optional.empty();
        Map<String, Object> v = new LinkedHashMap<>(stored.get().view());
        Object status = v.get("status");
        if (("running".equals(status) || Boolean.TRUE.equals(v.get("queued"))) && !stored.get().alive()) {
            v.put("status", "failed");
            v.put("queued", false);
            v.put("error", error("unavailable", "Replica lost", "the replica that ran this job (" + v.get("replica")
                    + ") stopped before it finished; submit the replay again", List.of()));
            try {
                store.save(jobId, v);
            } catch (RuntimeException e) {
                // reported failed either way; the next reader stores it
            }
        }
        return Optional.of(v);
    }

    /** Recent jobs (this replica's and, with a shared store, every replica's), newest first, without their results. */
    public List<Map<String, Object>> list() {
        Map<String, Map<String, Object>> byId = new LinkedHashMap<>();
        try {
            for (Map<String, Object> v : store.recent(Math.max(1, replay.maxJobs()))) byId.put(String.valueOf(v.get("jobId")), v);
        } catch (RuntimeException e) {
            LOG.debugf("replay jobs: store not readable, listing this replica's only: %s", e.getMessage());
        }
        synchronized (jobs) {
            for (ReplayJob j : jobs.values()) {
                Map<String, Object> v = j.view();
                v.remove("result");
                byId.put(j.id, v);
            }
        }
        List<Map<String, Object>> out = new ArrayList<>(byId.values());
        out.sort((a, b) -> String.valueOf(b.get("created")).compareTo(String.valueOf(a.get("created"))));
        return out;
    }

    private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private static long time(String s, String pointer, long dflt) {
        if (s == null || s.isBlank()) return dflt;
        Instant t;
        try {
            t = Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw DomainException.invalid(pointer, "not an ISO-8601 instant (e.g. 2026-11-26T00:00:00Z): '" + s + "'");
        }
        // Instants reach years far beyond epoch milliseconds; a replay range is about log records, so keep it plausible.
        if (t.isBefore(EARLIEST) || t.isAfter(LATEST)) {
            throw DomainException.invalid(pointer, "out of range: give an instant between " + EARLIEST + " and " + LATEST);
        }
        return t.toEpochMilli();
    }
}
