package io.ranker.policy;

import io.ranker.core.PolicyStage;
import io.ranker.core.PreconditionFailedException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The live rule set of every surface, swapped atomically (a request reads one reference and keeps that rule
 * set for its whole run). Sources of a new live set: {@link #publish} (API), {@link #rollback}, the rule files
 * {@code <config-dir>/policies/<surface>.yaml}, and, with a shared store, other replicas' changes picked up by
 * {@link #sync}. Every live set is first stored as an immutable version in the {@link PolicyVersionStore}, and
 * moving a surface's live pointer is a compare-and-set on its revision: an optional expected version (the HTTP
 * {@code If-Match}) is checked against what is live, and without one the last writer wins (both are in the history).
 * An invalid file or publication never replaces the live set: it is logged, counted
 * ({@code ranker.policy.rejected}), flagged ({@code ranker.policy.file.invalid} gauge) and shown in
 * {@link #fileStatus()} for the readiness check. A stored version is checked before it serves: its text must still
 * hash to its version name.
 * <p>
 * Local store: at startup ({@link #start}) a surface's live set is its history's last activation, unless its rule
 * file has changed since the file was last activated (edited while the service was down): then the file wins; edits
 * are hot-reloaded by {@link #reloadChangedFiles}. Shared store: the store is the source of truth and the rule
 * files only seed surfaces that have no live version yet (exactly once, whichever replica gets there first);
 * later changes go through the API, the console or {@code state import}.
 */
public final class PolicyRegistry {
    private static final Logger LOG = Logger.getLogger(PolicyRegistry.class);
    private static final Pattern SURFACE = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    /** The live rule set of one surface and the store revision it came from. */
    public record Live(PolicyVersion meta, CompiledPolicy stage, long revision) {
    }

    /** How many times a write re-reads the live pointer when another writer moved it in between. */
    private static final int CAS_ATTEMPTS = 10;

    /** What the last look at a surface's rule file found; {@code errors} empty when the file is valid. */
    public record FileStatus(String surface, String file, String fileVersion, List<PolicyError> errors,
                             String liveVersion) {
        public boolean valid() { return errors.isEmpty(); }
    }

    private final PolicyRuleFiles files;
    private final PolicyVersionStore store;
    private final Supplier<ValidationLimits> limits;
    private final SeenItems seen;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Map<String, Live> live = new ConcurrentHashMap<>();

    /**
     * @param policyDir {@code <config-dir>/policies} (may not exist: then only published versions are served)
     * @param limits    read at every validation, so the catalog's attribute names can change over time
     */
    public PolicyRegistry(Path policyDir, PolicyVersionStore store, Supplier<ValidationLimits> limits,
                          SeenItems seen, Clock clock, MeterRegistry meters) {
        this.store = store;
        this.limits = limits;
        this.seen = seen;
        this.clock = clock;
        this.meters = meters;
        this.files = new PolicyRuleFiles(policyDir, this, meters);
    }

    /**
     * What rule sets are checked against now (the live catalog's attribute names, the surfaces with a pipeline): the
     * dry run checks a candidate rule set against the same.
     */
    public ValidationLimits limits() {
        return limits.get();
    }

    public static boolean validSurface(String surface) {
        return surface != null && SURFACE.matcher(surface).matches();
    }

    /**
     * Loads every surface that has a live version or a rule file. Call once before serving. With a shared store
     * that cannot be reached, it loads nothing and {@link #sync} loads the state once the store answers.
     */
    public synchronized void start() {
        if (store.shared()) {
            try {
                sync(); // seeds from the rule files too, once the store answers
            } catch (RuntimeException e) {
                LOG.warnf("policies: the shared store cannot be read yet (%s); they are loaded as soon as it answers", e.getMessage());
            }
            return;
        }
        TreeSet<String> surfaces = new TreeSet<>(store.surfaces());
        Map<String, Path> ruleFiles = files.ruleFiles();
        surfaces.addAll(ruleFiles.keySet());
        for (String surface : surfaces) {
            store.live(surface).ifPresent(head -> {
                try {
                    activateStored(surface, head.version(), head.revision());
                } catch (RuntimeException e) {
                    LOG.errorf(e, "policy %s: cannot load live version %s from the store", surface, head.version());
                }
            });
            Path file = ruleFiles.get(surface);
            if (file != null) files.load(surface, file);
        }
    }

    /**
     * Brings every surface's live rule set up to the store's live pointers (a shared store's change made through
     * another replica). A version that does not verify or compile is logged and skipped: the previous rule set keeps
     * serving. Cheap when nothing changed (one read of the pointers).
     *
     * @return the surfaces whose live rule set changed
     */
    public synchronized List<String> sync() {
        List<String> changed = syncPointers();
        if (store.shared() && !seeded) {
            files.seed(); // the first time the store answers: fill surfaces nobody has published yet
            seeded = true;
        }
        return changed;
    }

    /** Whether the rule files have seeded the shared store (done once, the first time it answers). */
    private boolean seeded;

    private List<String> syncPointers() {
        List<String> changed = new ArrayList<>();
        for (Map.Entry<String, PolicyVersionStore.LivePointer> e : store.live().entrySet()) {
            Live current = live.get(e.getKey());
            PolicyVersionStore.LivePointer p = e.getValue();
            if (current != null && current.revision() >= p.revision()) continue;
            try {
                activateStored(e.getKey(), p.version(), p.revision());
                changed.add(e.getKey());
                LOG.infof("policy %s: version %s live (revision %d, from the shared store)", e.getKey(), p.version(), p.revision());
            } catch (RuntimeException ex) {
                LOG.errorf("policy %s: cannot serve version %s (revision %d) from the store, keeping %s: %s", e.getKey(),
                        p.version(), p.revision(), current == null ? "no rules" : current.meta().version(), ex.getMessage());
            }
        }
        return changed;
    }

    /** The stage a request on this surface applies: the live rule set, or {@link PolicyStage#NONE}. */
    public PolicyStage stage(String surface) {
        Live l = live.get(surface);
        return l == null ? PolicyStage.NONE : l.stage();
    }

    public Optional<Live> live(String surface) {
        return Optional.ofNullable(live.get(surface));
    }

    /** Surfaces with a live rule set. */
    public java.util.Set<String> liveSurfaces() {
        return new TreeSet<>(live.keySet());
    }

    public Map<String, Live> allLive() {
        return new TreeMap<>(live);
    }

    /** Validates without any side effect (the validate endpoint, the CLI, previews). */
    public PolicyParser.Result validate(String yaml) {
        return new PolicyParser(limits.get(), seen).parse(yaml);
    }

    /** Compiles a candidate rule set for a preview; never becomes live. */
    public CompiledPolicy compile(String yaml) {
        PolicyParser.Result r = validate(yaml);
        if (!r.valid()) throw new PolicyRejectedException("the rule set is invalid", r.errors());
        return new CompiledPolicy(r.policy().version(), r.policy().rules(), clock);
    }

    /** Validates, stores and activates a rule set (last writer wins). */
    public synchronized PolicyVersion publish(String surface, String yaml, String author, String comment) {
        return publish(surface, yaml, author, comment, null);
    }

    /**
     * Validates, stores and activates a rule set.
     *
     * @param expectedVersion the live version the change was made against (If-Match), or null for "whatever is live"
     * @throws PreconditionFailedException when {@code expectedVersion} is not live (any more); nothing changed
     */
    public synchronized PolicyVersion publish(String surface, String yaml, String author, String comment, String expectedVersion) {
        return commit(surface, yaml, author, comment, "api", "publish", expectedVersion, false);
    }

    /**
     * Publishes on behalf of a tool (e.g. source "cli", action "import"): the same validation and compare-and-set as
     * {@link #publish}, recorded with the tool's name.
     */
    public synchronized PolicyVersion publishAs(String source, String action, String surface, String yaml, String author, String comment) {
        return commit(surface, yaml, author, comment, source, action, null, false);
    }

    /**
     * Makes an earlier version live again.
     *
     * @param version the version to restore, or null for the most recent live version other than the current one
     */
    public synchronized PolicyVersion rollback(String surface, String version, String author, String comment) {
        return rollback(surface, version, author, comment, null);
    }

    /** @param expectedVersion the live version the rollback was decided on (If-Match), or null */
    public synchronized PolicyVersion rollback(String surface, String version, String author, String comment,
                                               String expectedVersion) {
        requireSurface(surface);
        for (int attempt = 1; ; attempt++) {
            PolicyVersionStore.LivePointer head = store.live(surface).orElse(null);
            String current = head == null ? null : head.version();
            checkExpected(surface, expectedVersion, current);
            List<PolicyActivation> history = store.history(surface);
            String target = version;
            if (target == null) {
                for (int i = history.size() - 1; i >= 0 && target == null; i--) {
                    if (!history.get(i).version().equals(current)) target = history.get(i).version();
                }
                if (target == null) throw new NoSuchElementException("surface '" + surface + "' has no earlier version to roll back to");
            }
            if (store.meta(surface, target).isEmpty()) {
                throw new NoSuchElementException("surface '" + surface + "' has no version '" + target + "'");
            }
            Live compiled = compileStored(surface, target, 0);
            try {
                PolicyVersionStore.LivePointer now = store.activate(surface,
                        new PolicyActivation(target, "rollback", author, comment, clock.instant().toString()), head == null ? 0 : head.revision());
                install(surface, new Live(compiled.meta(), compiled.stage(), now.revision()));
                LOG.infof("policy %s: rolled back from %s to %s by %s (revision %d)", surface, current, target, safe(author), now.revision());
                return compiled.meta();
            } catch (PolicyVersionStore.StaleRevisionException e) {
                if (attempt >= CAS_ATTEMPTS) throw e;
            }
        }
    }

    /** Stored versions, oldest first. */
    public List<PolicyVersion> versions(String surface) {
        requireSurface(surface);
        return store.versions(surface);
    }

    public List<PolicyActivation> history(String surface) {
        requireSurface(surface);
        return store.history(surface);
    }

    public Optional<String> source(String surface, String version) {
        requireSurface(surface);
        return store.yaml(surface, version);
    }

    /** The rule files as last checked, by surface. */
    public Map<String, FileStatus> fileStatus() {
        return files.status();
    }

    /** Re-reads every rule file whose bytes changed since the last look; call periodically. Local store only. */
    public void reloadChangedFiles() {
        if (!store.shared()) files.reloadChanged();
    }

    // ---- internals ----

    /**
     * Validates, stores and activates: a compare-and-set on the surface's live revision, retried when another writer
     * moved it in between (each time re-checking {@code expectedVersion} against what is live then).
     *
     * @param onlyIfAbsent seeding: activate only when the surface has no live version (else StaleRevisionException)
     */
    PolicyVersion commit(String surface, String yaml, String author, String comment, String source,
                                 String action, String expectedVersion, boolean onlyIfAbsent) {
        requireSurface(surface);
        PolicyParser.Result r = validate(yaml);
        List<PolicyError> errors = new ArrayList<>(r.errors());
        if (r.valid()) {
            Object declared = r.policy().canonical().get("surface");
            if (declared != null && !declared.equals(surface)) {
                errors.add(new PolicyError(null, "surface", "the file declares surface '" + declared
                        + "' but is published to '" + surface + "'", null, null));
            }
        }
        if (!errors.isEmpty()) {
            counter(surface, source).increment();
            throw new PolicyRejectedException("the rule set for '" + surface + "' is invalid", errors);
        }
        PolicyParser.ParsedPolicy p = r.policy();
        for (int attempt = 1; ; attempt++) {
            PolicyVersionStore.LivePointer head = store.live(surface).orElse(null);
            if (onlyIfAbsent && head != null) throw new PolicyVersionStore.StaleRevisionException(head);
            checkExpected(surface, expectedVersion, head == null ? null : head.version());
            PolicyVersion meta = store.save(new PolicyVersion(surface, p.version(), author, comment,
                    clock.instant().toString(), source, p.rules().size()), yaml);
            try {
                PolicyVersionStore.LivePointer now = store.activate(surface,
                        new PolicyActivation(p.version(), action, author, comment, clock.instant().toString()),
                        head == null ? 0 : head.revision());
                install(surface, new Live(meta, new CompiledPolicy(p.version(), p.rules(), clock), now.revision()));
                LOG.infof("policy %s: version %s live (%s by %s, %d rules, revision %d)", surface, p.version(), action,
                        safe(author), p.rules().size(), now.revision());
                return meta;
            } catch (PolicyVersionStore.StaleRevisionException e) {
                if (onlyIfAbsent || attempt >= CAS_ATTEMPTS) throw e;
            }
        }
    }

    private static void checkExpected(String surface, String expectedVersion, String current) {
        if (expectedVersion != null && !expectedVersion.equals(current)) {
            throw new PreconditionFailedException("the live rule set of '" + surface + "'", expectedVersion, current);
        }
    }

    /** Never moves a surface back to an older revision (a sync racing with a local write). */
    private void install(String surface, Live next) {
        live.merge(surface, next, (old, now) -> now.revision() >= old.revision() ? now : old);
    }

    private PolicyVersion activateStored(String surface, String version, long revision) {
        Live l = compileStored(surface, version, revision);
        install(surface, l);
        return l.meta();
    }

    /** Loads a stored version, checks that its text still hashes to its name, and compiles it (not yet live). */
    private Live compileStored(String surface, String version, long revision) {
        String yaml = store.yaml(surface, version)
                .orElseThrow(() -> new NoSuchElementException("surface '" + surface + "' has no version '" + version + "'"));
        PolicyVersion meta = store.meta(surface, version).orElseThrow();
        // A stored version was fully validated when published. The catalog's attribute names may have changed
        // since; a rule on a vanished attribute simply no longer matches, which beats serving no policy at all
        // after a restart or being unable to roll back in an emergency. So: no unknown-attribute check here.
        ValidationLimits now = limits.get();
        PolicyParser.Result r = new PolicyParser(new ValidationLimits(java.util.Set.of(), now.maxListSize()), seen).parse(yaml);
        if (!r.valid()) {
            throw new PolicyRejectedException("version " + version + " no longer validates", r.errors());
        }
        if (!r.policy().version().equals(version)) {
            throw new PolicyRejectedException("stored version " + version + " is damaged: its rules hash to " + r.policy().version(),
                    List.of(new PolicyError(null, "", "the stored text does not match its version hash", null, null)));
        }
        return new Live(meta, new CompiledPolicy(meta.version(), r.policy().rules(), clock), revision);
    }

    /** Author names come from callers: keep them on one log line. */
    private static String safe(String s) {
        return s == null ? null : s.replaceAll("[\\r\\n\\t]", " ");
    }

    /** The surface's last activation by a rule file (local store: what the file had when last activated). */
    String lastFileVersion(String surface) {
        return store.history(surface).stream().filter(a -> a.action().equals("file"))
                .reduce((a, b) -> b).map(PolicyActivation::version).orElse(null);
    }

    String liveVersion(String surface) {
        Live l = live.get(surface);
        return l == null ? null : l.meta().version();
    }

    private static void requireSurface(String surface) {
        if (!validSurface(surface)) {
            throw new IllegalArgumentException("surface must be 1-64 lowercase letters, digits, '_' or '-'");
        }
    }

    private Counter counter(String surface, String source) {
        return meters.counter("ranker.policy.rejected", Tags.of("surface", surface, "source", source));
    }
}
