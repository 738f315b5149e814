package io.ranker.policy;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The rule files {@code <config-dir>/policies/<surface>.yaml} as a source of live rule sets for the
 * {@link PolicyRegistry}: with the local store they are hot-reloaded (a changed file is published, unless its version
 * is the one the file had when last activated); with a shared store they only seed surfaces that have no live version.
 * An invalid file never replaces the live set: it is logged, flagged ({@code ranker.policy.file.invalid} gauge) and
 * shown in {@link #status()} for the readiness check.
 */
final class PolicyRuleFiles {
    private static final Logger LOG = Logger.getLogger(PolicyRuleFiles.class);

    private final Path policyDir;
    private final PolicyRegistry registry;
    private final MeterRegistry meters;
    private final Map<String, PolicyRegistry.FileStatus> files = new ConcurrentHashMap<>();
    private final Map<String, String> fileHashes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> invalidGauges = new ConcurrentHashMap<>();

    /** @param policyDir may be null or missing: then there are no rule files */
    PolicyRuleFiles(Path policyDir, PolicyRegistry registry, MeterRegistry meters) {
        this.policyDir = policyDir;
        this.registry = registry;
        this.meters = meters;
    }

    Map<String, PolicyRegistry.FileStatus> status() {
        return new TreeMap<>(files);
    }

    /** The rule files by surface. */
    Map<String, Path> ruleFiles() {
        Map<String, Path> out = new TreeMap<>();
        if (policyDir == null || !Files.isDirectory(policyDir)) return out;
        try (Stream<Path> s = Files.list(policyDir)) {
            s.filter(p -> p.getFileName().toString().endsWith(".yaml")).forEach(p -> {
                String name = p.getFileName().toString();
                String surface = name.substring(0, name.length() - ".yaml".length());
                if (PolicyRegistry.validSurface(surface)) out.put(surface, p);
            });
        } catch (IOException e) {
            LOG.warnf("cannot list %s: %s", policyDir, e);
        }
        return out;
    }

    /**
     * Shared store: each valid rule file seeds its surface when the surface has no live version. The seeding is a
     * compare-and-set on "no live version", so when several replicas start together exactly one seeds it.
     */
    void seed() {
        for (Map.Entry<String, Path> e : ruleFiles().entrySet()) {
            String surface = e.getKey();
            String text;
            try {
                text = Files.readString(e.getValue(), StandardCharsets.UTF_8);
            } catch (IOException ex) {
                recordInvalid(surface, e.getValue(), null, List.of(new PolicyError(null, "", "cannot read the file: " + ex, null, null)));
                continue;
            }
            PolicyParser.Result r = registry.validate(text);
            if (!r.valid()) {
                recordInvalid(surface, e.getValue(), null, r.errors());
                continue;
            }
            files.put(surface, new PolicyRegistry.FileStatus(surface, e.getValue().toString(), r.policy().version(), List.of(),
                    registry.liveVersion(surface)));
            gauge(surface).set(0);
            if (registry.liveVersion(surface) != null) continue;
            try {
                registry.commit(surface, text, "ranking-config", "seeded from " + e.getValue().getFileName(), "file", "file", null, true);
            } catch (PolicyVersionStore.StaleRevisionException lost) {
                // another replica seeded it first: its version arrives with the next sync
            }
        }
    }

    /** Local store: re-reads every rule file whose bytes changed since the last look. */
    void reloadChanged() {
        for (Map.Entry<String, Path> e : ruleFiles().entrySet()) {
            String surface = e.getKey();
            try {
                String text = Files.readString(e.getValue(), StandardCharsets.UTF_8);
                if (sha(text).equals(fileHashes.get(surface))) continue;
                synchronized (registry) {
                    load(surface, e.getValue());
                }
            } catch (IOException | RuntimeException ex) {
                LOG.warnf("policy %s: cannot read %s: %s", surface, e.getValue(), ex.toString());
            }
        }
    }

    /**
     * Local store: activates the rule file unless its content is the version the file had when last activated (so a
     * restart, or an edit of comments only, does not undo a publication made through the API since).
     */
    void load(String surface, Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            recordInvalid(surface, file, null, List.of(new PolicyError(null, "", "cannot read the file: " + e, null, null)));
            return;
        }
        fileHashes.put(surface, sha(text));
        PolicyParser.Result r = registry.validate(text);
        String version = r.valid() ? r.policy().version() : null;
        try {
            String live = registry.liveVersion(surface);
            boolean unchanged = version != null && (version.equals(registry.lastFileVersion(surface)) || version.equals(live));
            if (!unchanged) {
                registry.commit(surface, text, "ranking-config", "loaded from " + file.getFileName(), "file", "file", null, false);
            }
            files.put(surface, new PolicyRegistry.FileStatus(surface, file.toString(), version, List.of(), registry.liveVersion(surface)));
            gauge(surface).set(0);
        } catch (PolicyRejectedException e) {
            recordInvalid(surface, file, version, e.errors());
        }
    }

    private void recordInvalid(String surface, Path file, String version, List<PolicyError> errors) {
        if (errors.isEmpty()) return;
        String live = registry.liveVersion(surface);
        files.put(surface, new PolicyRegistry.FileStatus(surface, file.toString(), version, errors, live));
        gauge(surface).set(1);
        LOG.errorf("policy %s: %s is invalid, keeping live version %s: %s", surface, file, live, errors);
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
