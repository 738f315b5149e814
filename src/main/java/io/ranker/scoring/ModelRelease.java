package io.ranker.scoring;

import io.ranker.core.PreconditionFailedException;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Release operations on models without a restart: upload a version, promote it to active on a surface, roll back
 * to the previously active version, set a surface's whole routing (shadow, canary, experiments), and follow the
 * {@link RoutingStore} ({@link #sync}: another replica's change, or a hand edit of the local routing file). Every
 * change is validated before it is committed (all referenced models must load, match the feature schema and pass
 * their test prediction), committed as a compare-and-set on the surface's revision (an optional expected active
 * version is the HTTP {@code If-Match}; without it the last writer wins and both are audited), then swapped in
 * atomically, so a refused change leaves the serving models as they were and no request ever sees a half-loaded
 * model. A replica that follows a change loads the models first and swaps afterwards.
 */
public final class ModelRelease {
    private static final Logger LOG = Logger.getLogger(ModelRelease.class);
    private static final int CAS_ATTEMPTS = 10;
    private static final java.util.regex.Pattern SURFACE = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    private final ModelRegistry registry;
    private final ModelRouter router;
    private final RoutingStore store;
    private final Clock clock;
    /** The revision of each surface's routing as installed in the router. */
    private Map<String, Long> installed = Map.of();
    /** Revisions this replica could not serve (a model that does not load here): not retried until they change. */
    private final Map<String, Long> refused = new LinkedHashMap<>();
    private String refusedUnreadable;
    private String lastRefusal;

    public ModelRelease(ModelRegistry registry, ModelRouter router, RoutingStore store, Clock clock) {
        this.registry = registry;
        this.router = router;
        this.store = store;
        this.clock = clock;
    }

    /** A single-node release on a routing file (no seed) with its audit log. */
    public ModelRelease(ModelRegistry registry, ModelRouter router, Path routingFile, ModelAuditLog audit) {
        this(registry, router, new FileRoutingStore(routingFile, audit), Clock.systemUTC());
    }

    public ModelRegistry registry() { return registry; }

    public ModelRouter router() { return router; }

    public ModelAudit audit() { return store.audit(); }

    public RoutingStore store() { return store; }

    /** The local routing file (single node), or null with a shared store. */
    public Path routingFile() {
        return store instanceof FileRoutingStore f ? f.routingFile() : null;
    }

    /** Why the last routing change could not be served here (null when everything in the store serves). */
    public synchronized String lastRefusal() { return lastRefusal; }

    /** The revision of each surface's routing that serves here. */
    public synchronized Map<String, Long> revisions() { return Map.copyOf(installed); }

    /**
     * Loads the routing at startup. An unreadable store (an empty or corrupt routing file) routes nothing and marks
     * the router unavailable, so responses say {@code degraded} and readiness says why.
     *
     * @return true when a routing was applied
     */
    public synchronized boolean start() {
        return sync();
    }

    /**
     * Brings the served routing up to the store: each surface whose revision changed is prepared (its models fetched,
     * verified and loaded) and then swapped in with the others in one step. A surface whose models cannot be served
     * here keeps its previous routing (logged, audited, reported by {@link #lastRefusal}).
     *
     * @return true when something new serves
     */
    public synchronized boolean sync() {
        Map<String, RoutingStore.SurfaceRouting> state;
        try {
            state = store.load();
        } catch (ModelRejectedException e) {
            if (!e.getMessage().equals(refusedUnreadable)) {
                refusedUnreadable = e.getMessage();
                lastRefusal = e.getMessage();
                auditQuietly("store", "reload-refused", null, null, null, e.getMessage());
                LOG.errorf("model routing unreadable, %s: %s", installed.isEmpty() ? "no model serves" : "the previous routing keeps serving", e.getMessage());
            }
            if (installed.isEmpty()) router.markUnavailable(e.getMessage());
            return false;
        }
        refusedUnreadable = null;
        ModelsConfig current = router.config();
        Map<String, ModelsConfig.SurfaceModels> next = new LinkedHashMap<>();
        Map<String, Long> revisions = new LinkedHashMap<>();
        boolean changed = !state.keySet().containsAll(installed.keySet());
        for (Map.Entry<String, RoutingStore.SurfaceRouting> e : state.entrySet()) {
            String surface = e.getKey();
            long revision = e.getValue().revision();
            Long have = installed.get(surface);
            if ((have != null && have == revision) || Long.valueOf(revision).equals(refused.get(surface))) {
                keep(surface, current, next, revisions);
                continue;
            }
            try {
                router.prepare(new ModelsConfig(Map.of(surface, e.getValue().models())), null); // loads its models
                ModelsConfig.SurfaceModels old = current.surfaces().get(surface);
                if (old != null && !old.active().equals(e.getValue().models().active())) {
                    store.rememberActive(surface, old.active()); // a hand edit of active is rollback-able
                }
                next.put(surface, e.getValue().models());
                revisions.put(surface, revision);
                refused.remove(surface);
                changed = true;
            } catch (ModelRejectedException ex) {
                refused.put(surface, revision);
                lastRefusal = surface + ": " + ex.getMessage();
                auditQuietly("store", "reload-refused", surface, e.getValue().models().active(), null, ex.getMessage());
                LOG.errorf("model routing of %s (revision %d) cannot serve here, keeping the previous one: %s", surface, revision, ex.getMessage());
                keep(surface, current, next, revisions);
            }
        }
        if (!changed) return false;
        router.install(router.prepare(new ModelsConfig(next), revisions.toString()));
        installed = Map.copyOf(revisions);
        if (refused.isEmpty()) lastRefusal = null;
        LOG.infof("model routing now serving: %s", next);
        return true;
    }

    private void keep(String surface, ModelsConfig current, Map<String, ModelsConfig.SurfaceModels> next, Map<String, Long> revisions) {
        ModelsConfig.SurfaceModels old = current.surfaces().get(surface);
        if (old != null) {
            next.put(surface, old);
            revisions.put(surface, installed.get(surface));
        }
    }

    /**
     * Seeds the surfaces of {@code seed} (the tracked {@code ranking-config/models.yaml}) that have no routing in the
     * store yet. Each is a compare-and-set on "no routing", so replicas starting together seed a surface once; the
     * seed file itself is never written.
     *
     * @return the surfaces seeded by this call
     */
    public synchronized List<String> seed(ModelsConfig seed, String source) {
        List<String> seeded = new java.util.ArrayList<>();
        Map<String, RoutingStore.SurfaceRouting> state = store.load();
        for (Map.Entry<String, ModelsConfig.SurfaceModels> e : seed.surfaces().entrySet()) {
            if (state.containsKey(e.getKey())) continue;
            try {
                if (commit("ranking-config", "seed", e.getKey(), e.getValue(), null, null, 0, e.getValue().active(), null,
                        "seeded from " + source, 1)) {
                    seeded.add(e.getKey());
                }
            } catch (ModelRejectedException ex) {
                lastRefusal = e.getKey() + ": " + ex.getMessage();
                LOG.errorf("cannot seed the model routing of %s from %s: %s", e.getKey(), source, ex.getMessage());
            }
        }
        return seeded;
    }

    /** Stores a new model version (not activated). */
    public synchronized ModelRegistry.RegisteredModel upload(String actor, byte[] model, byte[] manifest) {
        try {
            ModelRegistry.RegisteredModel r = registry.register(model, manifest);
            store.audit().record(actor, "upload", null, r.version(), null,
                    r.manifest().features().size() + " features, objective " + r.manifest().objective());
            return r;
        } catch (ModelRejectedException e) {
            auditQuietly(actor, "upload-refused", null, null, null, e.getMessage());
            throw e;
        }
    }

    public synchronized void promote(String actor, String surface, String version) {
        promote(actor, surface, version, null);
    }

    /**
     * Makes {@code version} the active model of {@code surface} (creating the surface entry if needed). A canary of
     * that same version ends (it has been promoted) and the version leaves the shadow list.
     *
     * @param expectedActive the active version the promotion was decided on (If-Match), or null
     * @throws PreconditionFailedException when {@code expectedActive} is not active (any more)
     */
    public synchronized void promote(String actor, String surface, String version, String expectedActive) {
        requireSurface(surface);
        for (int attempt = 1; ; attempt++) {
            RoutingStore.SurfaceRouting cur = store.load().get(surface);
            ModelsConfig.SurfaceModels s = cur == null ? null : cur.models();
            String previous = s == null ? null : s.active();
            checkExpected(surface, expectedActive, previous);
            if (version.equals(previous)) {
                store.audit().record(actor, "promote", surface, version, previous, "already active");
                return;
            }
            ModelsConfig.SurfaceModels next = s == null
                    ? new ModelsConfig.SurfaceModels(version, List.of(), null, List.of(), null)
                    : new ModelsConfig.SurfaceModels(version,
                    s.shadow().stream().filter(v -> !v.equals(version)).toList(),
                    s.canary() != null && s.canary().version().equals(version) ? null : s.canary(),
                    s.experiments(), s.salt());
            if (commit(actor, "promote", surface, next, cur, previous, 0, version, previous, null, attempt)) return;
        }
    }

    public synchronized String rollback(String actor, String surface) {
        return rollback(actor, surface, null);
    }

    /**
     * Re-activates the version that was active before the current one.
     *
     * @return the version now active
     * @throws IllegalStateException when there is nothing to roll back to
     */
    public synchronized String rollback(String actor, String surface, String expectedActive) {
        requireSurface(surface);
        for (int attempt = 1; ; attempt++) {
            RoutingStore.SurfaceRouting cur = store.load().get(surface);
            if (cur == null) throw new IllegalStateException("surface '" + surface + "' has no model to roll back");
            String active = cur.models().active();
            checkExpected(surface, expectedActive, active);
            List<String> stack = store.previous(surface);
            int pop = 0;
            while (pop < stack.size() && stack.get(stack.size() - 1 - pop).equals(active)) pop++;
            if (pop >= stack.size()) {
                throw new IllegalStateException("surface '" + surface + "' has no previously active model to roll back to");
            }
            String target = stack.get(stack.size() - 1 - pop);
            if (commit(actor, "rollback", surface, cur.models().withActive(target), cur, null, pop + 1, target, active, null, attempt)) {
                return target;
            }
        }
    }

    /**
     * Replaces a surface's whole routing (active, shadow, canary, experiments, salt).
     *
     * @param expectedActive the active version the change was decided on (If-Match), or null
     */
    public synchronized void setRouting(String actor, String surface, ModelsConfig.SurfaceModels next, String expectedActive) {
        requireSurface(surface);
        List<String> problems = new ModelsConfig(Map.of(surface, next)).problems();
        if (!problems.isEmpty()) throw new ModelRejectedException(problems);
        for (int attempt = 1; ; attempt++) {
            RoutingStore.SurfaceRouting cur = store.load().get(surface);
            String active = cur == null ? null : cur.models().active();
            checkExpected(surface, expectedActive, active);
            if (cur != null && cur.models().equals(next)) return;
            String push = active != null && !active.equals(next.active()) ? active : null;
            if (commit(actor, "routing", surface, next, cur, push, 0, next.active(), active, "shadow " + next.shadow()
                    + (next.canary() == null ? "" : ", canary " + next.canary().version() + " " + next.canary().percent() + "%")
                    + ", " + next.experiments().size() + " experiment(s)", attempt)) {
                return;
            }
        }
    }

    /**
     * Prepares (loads every model), commits and installs one surface's routing.
     *
     * @return false when another writer changed the surface in between (the caller re-reads and tries again)
     */
    private boolean commit(String actor, String action, String surface, ModelsConfig.SurfaceModels next,
                           RoutingStore.SurfaceRouting cur, String pushPrevious, int pop, String version, String previous,
                           String detail, int attempt) {
        Map<String, ModelsConfig.SurfaceModels> all = new LinkedHashMap<>(router.config().surfaces());
        all.put(surface, next);
        ModelRouter.RoutingTable table;
        try {
            table = router.prepare(new ModelsConfig(all), null);
        } catch (ModelRejectedException e) {
            auditQuietly(actor, action + "-refused", surface, version, previous, e.getMessage());
            throw e;
        }
        long revision;
        try {
            revision = store.commit(surface, next, cur == null ? 0 : cur.revision(), pushPrevious, pop,
                    ModelAuditLog.entry(clock, actor, action, surface, version, previous, detail));
        } catch (RoutingStore.StaleRoutingException e) {
            if (attempt >= CAS_ATTEMPTS) throw e;
            return false;
        }
        Map<String, Long> revisions = new LinkedHashMap<>(installed);
        revisions.put(surface, revision);
        router.install(new ModelRouter.RoutingTable(table.config(), revisions.toString(), table));
        installed = Map.copyOf(revisions);
        refused.remove(surface);
        LOG.infof("models %s: %s %s (was %s) by %s, revision %d", surface, action, version, previous, actor, revision);
        return true;
    }

    private static void requireSurface(String surface) {
        if (surface == null || !SURFACE.matcher(surface).matches()) {
            throw io.ranker.core.DomainException.invalid("/surface", "a surface name is 1-64 lowercase letters, digits, '_' or '-'");
        }
    }

    private static void checkExpected(String surface, String expectedActive, String active) {
        if (expectedActive != null && !expectedActive.equals(active)) {
            throw new PreconditionFailedException("the active model of '" + surface + "'", expectedActive, active);
        }
    }

    private void auditQuietly(String actor, String action, String surface, String version, String previous, String detail) {
        try {
            store.audit().record(actor, action, surface, version, previous, detail);
        } catch (RuntimeException e) {
            LOG.warnf("cannot audit %s %s: %s", action, surface, e.getMessage());
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
