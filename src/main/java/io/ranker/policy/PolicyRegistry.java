package io.ranker.policy;

import io.ranker.core.PolicyStage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The live rule set of every surface, swapped atomically (a request reads one reference and keeps that rule
 * set for its whole run). Sources of a new live set: {@link #publish} (API), {@link #rollback}, and the
 * rule files {@code <config-dir>/policies/<surface>.yaml}, hot-reloaded by {@link #reloadChangedFiles}.
 * Every live set is first stored as an immutable version in the {@link PolicyVersionStore}.
 * An invalid file or publication never replaces the live set: it is logged, counted
 * ({@code ranker.policy.rejected}), flagged ({@code ranker.policy.file.invalid} gauge) and shown in
 * {@link #fileStatus()} for the readiness check.
 * <p>
 * At startup ({@link #start}) a surface's live set is its history's last activation, unless its rule file
 * has changed since the file was last activated (edited while the service was down): then the file wins.
 */
public final class PolicyRegistry {
    private static final Logger LOG = Logger.getLogger(PolicyRegistry.class);
    private static final Pattern SURFACE = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    /** The live rule set of one surface. */
    public record Live(PolicyVersion meta, CompiledPolicy stage) {
    }

    /** What the last look at a surface's rule file found; {@code errors} empty when the file is valid. */
    public record FileStatus(String surface, String file, String fileVersion, List<PolicyError> errors,
                             String liveVersion) {
        public boolean valid() { return errors.isEmpty(); }
    }

    private final Path policyDir;
    private final PolicyVersionStore store;
    private final Supplier<ValidationLimits> limits;
    private final SeenItems seen;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Map<String, Live> live = new ConcurrentHashMap<>();
    private final Map<String, FileStatus> files = new ConcurrentHashMap<>();
    private final Map<String, String> fileHashes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> invalidGauges = new ConcurrentHashMap<>();

    /**
     * @param policyDir {@code <config-dir>/policies} (may not exist: then only published versions are served)
     * @param limits    read at every validation, so the catalog's attribute names can change over time
     */
    public PolicyRegistry(Path policyDir, PolicyVersionStore store, Supplier<ValidationLimits> limits,
                          SeenItems seen, Clock clock, MeterRegistry meters) {
        this.policyDir = policyDir;
        this.store = store;
        this.limits = limits;
        this.seen = seen;
        this.clock = clock;
        this.meters = meters;
    }

    public static boolean validSurface(String surface) {
        return surface != null && SURFACE.matcher(surface).matches();
    }

    /** Loads every surface that has a history or a rule file. Call once before serving. */
    public synchronized void start() {
        TreeSet<String> surfaces = new TreeSet<>(store.surfaces());
        surfaces.addAll(ruleFiles().keySet());
        for (String surface : surfaces) {
            List<PolicyActivation> history = store.history(surface);
            if (!history.isEmpty()) {
                PolicyActivation head = history.get(history.size() - 1);
                try {
                    activateStored(surface, head.version());
                } catch (RuntimeException e) {
                    LOG.errorf(e, "policy %s: cannot load live version %s from the store", surface, head.version());
                }
            }
            Path file = ruleFiles().get(surface);
            if (file != null) loadFile(surface, file);
        }
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

    /** Validates, stores and activates a rule set. */
    public synchronized PolicyVersion publish(String surface, String yaml, String author, String comment) {
        return publish(surface, yaml, author, comment, "api", "publish");
    }

    /**
     * Makes an earlier version live again.
     *
     * @param version the version to restore, or null for the most recent live version other than the current one
     */
    public synchronized PolicyVersion rollback(String surface, String version, String author, String comment) {
        requireSurface(surface);
        List<PolicyActivation> history = store.history(surface);
        String current = live.containsKey(surface) ? live.get(surface).meta().version() : null;
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
        PolicyVersion meta = activateStored(surface, target);
        store.activate(surface, new PolicyActivation(target, "rollback", author, comment, clock.instant().toString()));
        LOG.infof("policy %s: rolled back from %s to %s by %s", surface, current, target, author);
        return meta;
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
        return new TreeMap<>(files);
    }

    /** Re-reads every rule file whose bytes changed since the last look; call periodically. */
    public void reloadChangedFiles() {
        for (Map.Entry<String, Path> e : ruleFiles().entrySet()) {
            String surface = e.getKey();
            try {
                String text = Files.readString(e.getValue(), StandardCharsets.UTF_8);
                if (sha(text).equals(fileHashes.get(surface))) continue;
                synchronized (this) {
                    loadFile(surface, e.getValue());
                }
            } catch (IOException | RuntimeException ex) {
                LOG.warnf("policy %s: cannot read %s: %s", surface, e.getValue(), ex.toString());
            }
        }
    }

    // ---- internals ----

    private PolicyVersion publish(String surface, String yaml, String author, String comment, String source,
                                  String action) {
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
        PolicyVersion meta = store.save(new PolicyVersion(surface, p.version(), author, comment,
                clock.instant().toString(), source, p.rules().size()), yaml);
        store.activate(surface, new PolicyActivation(p.version(), action, author, comment, clock.instant().toString()));
        live.put(surface, new Live(meta, new CompiledPolicy(p.version(), p.rules(), clock)));
        LOG.infof("policy %s: version %s live (%s by %s, %d rules)", surface, p.version(), action, author, p.rules().size());
        return meta;
    }

    private PolicyVersion activateStored(String surface, String version) {
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
        live.put(surface, new Live(meta, new CompiledPolicy(meta.version(), r.policy().rules(), clock)));
        return meta;
    }

    /**
     * Activates the rule file unless its content is the version the file had when last activated (so a restart,
     * or an edit of comments only, does not undo a publication made through the API since).
     */
    private void loadFile(String surface, Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            recordInvalid(surface, file, null, List.of(new PolicyError(null, "", "cannot read the file: " + e, null, null)));
            return;
        }
        fileHashes.put(surface, sha(text));
        PolicyParser.Result r = validate(text);
        String version = r.valid() ? r.policy().version() : null;
        try {
            String lastFileVersion = store.history(surface).stream().filter(a -> a.action().equals("file"))
                    .reduce((a, b) -> b).map(PolicyActivation::version).orElse(null);
            Live current = live.get(surface);
            boolean unchanged = version != null && (version.equals(lastFileVersion)
                    || (current != null && current.meta().version().equals(version)));
            if (!unchanged) {
                publish(surface, text, "ranking-config", "loaded from " + file.getFileName(), "file", "file");
            }
            files.put(surface, new FileStatus(surface, file.toString(), version, List.of(), liveVersion(surface)));
            gauge(surface).set(0);
        } catch (PolicyRejectedException e) {
            recordInvalid(surface, file, version, e.errors());
        }
    }

    private void recordInvalid(String surface, Path file, String version, List<PolicyError> errors) {
        if (errors.isEmpty()) return;
        files.put(surface, new FileStatus(surface, file.toString(), version, errors, liveVersion(surface)));
        gauge(surface).set(1);
        LOG.errorf("policy %s: %s is invalid, keeping live version %s: %s", surface, file, liveVersion(surface), errors);
    }

    private String liveVersion(String surface) {
        Live l = live.get(surface);
        return l == null ? null : l.meta().version();
    }

    private Map<String, Path> ruleFiles() {
        Map<String, Path> out = new TreeMap<>();
        if (policyDir == null || !Files.isDirectory(policyDir)) return out;
        try (Stream<Path> s = Files.list(policyDir)) {
            s.filter(p -> p.getFileName().toString().endsWith(".yaml")).forEach(p -> {
                String name = p.getFileName().toString();
                String surface = name.substring(0, name.length() - ".yaml".length());
                if (validSurface(surface)) out.put(surface, p);
            });
        } catch (IOException e) {
            LOG.warnf("cannot list %s: %s", policyDir, e);
        }
        return out;
    }

    private static void requireSurface(String surface) {
        if (!validSurface(surface)) {
            throw new IllegalArgumentException("surface must be 1-64 lowercase letters, digits, '_' or '-'");
        }
    }

    private Counter counter(String surface, String source) {
        return meters.counter("ranker.policy.rejected", Tags.of("surface", surface, "source", source));
    }

    private AtomicInteger gauge(String surface) {
        return invalidGauges.computeIfAbsent(surface, s ->
                meters.gauge("ranker.policy.file.invalid", Tags.of("surface", s), new AtomicInteger()));
    }

    private static String sha(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
