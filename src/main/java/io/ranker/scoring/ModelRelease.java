package io.ranker.scoring;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Release operations on models without a restart: upload a version, promote it to active on a surface, roll
 * back to the previously active version, and hot-reload {@code models.yaml} when someone edits it. Every
 * change is validated before it is applied (all referenced models must load and match the feature schema),
 * swapped in atomically, and recorded in the audit trail; a refused change leaves the serving models as they
 * were. {@code models.yaml} stays the single source of truth: promote and rollback rewrite it, and the
 * previously active versions per surface are kept in {@code <data-dir>/models/history.json} for rollback.
 */
public final class ModelRelease {
    private static final Logger LOG = Logger.getLogger(ModelRelease.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ModelRegistry registry;
    private final ModelRouter router;
    private final Path modelsYaml;
    private final ModelAuditLog audit;
    private final Path historyFile;
    private String refusedHash;
    private String lastRefusal;

    public ModelRelease(ModelRegistry registry, ModelRouter router, Path modelsYaml, ModelAuditLog audit) {
        this.registry = registry;
        this.router = router;
        this.modelsYaml = modelsYaml;
        this.audit = audit;
        this.historyFile = registry.directory().resolve("history.json");
    }

    public ModelRegistry registry() { return registry; }

    public ModelRouter router() { return router; }

    public ModelAuditLog audit() { return audit; }

    public Path modelsYaml() { return modelsYaml; }

    /** The last refused models.yaml edit (null when the file currently applied is the file on disk). */
    public synchronized String lastRefusal() { return lastRefusal; }

    /**
     * Loads models.yaml at startup. A missing file means no models yet (retrieval order); a broken one is
     * logged and audited, and the service starts without models rather than not at all.
     *
     * @return true when the file was applied
     */
    public synchronized boolean start() {
        return pollConfigFile();
    }

    /** Stores a new model version (not activated). */
    public synchronized ModelRegistry.RegisteredModel upload(String actor, byte[] model, byte[] manifest) {
        try {
            ModelRegistry.RegisteredModel r = registry.register(model, manifest);
            audit.record(actor, "upload", null, r.version(), null,
                    r.manifest().features().size() + " features, objective " + r.manifest().objective());
            return r;
        } catch (ModelRejectedException e) {
            audit.record(actor, "upload-refused", null, null, null, e.getMessage());
            throw e;
        }
    }

    /**
     * Makes {@code version} the active model of {@code surface} (creating the surface entry if needed). A
     * canary of that same version ends (it has been promoted) and the version leaves the shadow list.
     */
    public synchronized void promote(String actor, String surface, String version) {
        ModelsConfig cfg = router.config();
        ModelsConfig.SurfaceModels s = cfg.surfaces().get(surface);
        String previous = s == null ? null : s.active();
        if (version.equals(previous)) {
            audit.record(actor, "promote", surface, version, previous, "already active");
            return;
        }
        ModelsConfig.SurfaceModels next = s == null
                ? new ModelsConfig.SurfaceModels(version, List.of(), null, List.of(), null)
                : new ModelsConfig.SurfaceModels(version,
                s.shadow().stream().filter(v -> !v.equals(version)).toList(),
                s.canary() != null && s.canary().version().equals(version) ? null : s.canary(),
                s.experiments(), s.salt());
        try {
            applyAndWrite(cfg.withSurface(surface, next));
        } catch (ModelRejectedException e) {
            audit.record(actor, "promote-refused", surface, version, previous, e.getMessage());
            throw e;
        }
        if (previous != null) pushHistory(surface, previous);
        audit.record(actor, "promote", surface, version, previous, null);
    }

    /**
     * Re-activates the version that was active before the current one.
     *
     * @return the version now active
     * @throws IllegalStateException when there is nothing to roll back to
     */
    public synchronized String rollback(String actor, String surface) {
        ModelsConfig cfg = router.config();
        ModelsConfig.SurfaceModels s = cfg.surfaces().get(surface);
        if (s == null) throw new IllegalStateException("surface '" + surface + "' has no model to roll back");
        Map<String, Deque<String>> history = readHistory();
        Deque<String> stack = history.getOrDefault(surface, new ArrayDeque<>());
        while (!stack.isEmpty() && stack.peekLast().equals(s.active())) stack.pollLast();
        if (stack.isEmpty()) {
            throw new IllegalStateException("surface '" + surface + "' has no previously active model to roll back to");
        }
        String target = stack.pollLast();
        try {
            applyAndWrite(cfg.withSurface(surface, s.withActive(target)));
        } catch (ModelRejectedException e) {
            audit.record(actor, "rollback-refused", surface, target, s.active(), e.getMessage());
            throw e;
        }
        history.put(surface, stack);
        writeHistory(history);
        audit.record(actor, "rollback", surface, target, s.active(), null);
        return target;
    }

    /**
     * Hot reload: applies models.yaml if its content changed since it was last applied. A file that does not
     * parse, or references a model that is unknown, corrupt or mismatched, is refused once (logged and
     * audited) and the previous models keep serving.
     *
     * @return true when a new config was applied
     */
    public synchronized boolean pollConfigFile() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(modelsYaml);
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            LOG.warnf("cannot read %s: %s", modelsYaml, e.getMessage());
            return false;
        }
        String hash = sha256(bytes);
        if (hash.equals(router.current().configHash()) || hash.equals(refusedHash)) return false;
        ModelsConfig before = router.config();
        try {
            ModelsConfig cfg = ModelsConfig.parse(bytes);
            router.install(router.prepare(cfg, hash));
            refusedHash = null;
            lastRefusal = null;
            recordActiveChanges(before, cfg);
            audit.record("file:" + modelsYaml.getFileName(), "reload", null, null, null, "models.yaml " + hash.substring(0, 16));
            LOG.infof("applied %s (%s)", modelsYaml, hash.substring(0, 16));
            return true;
        } catch (ModelRejectedException e) {
            refusedHash = hash;
            lastRefusal = e.getMessage();
            audit.record("file:" + modelsYaml.getFileName(), "reload-refused", null, null, null, e.getMessage());
            LOG.errorf("refused %s, previous models keep serving: %s", modelsYaml, e.getMessage());
            return false;
        }
    }

    /** A hand edit of {@code active} is a promotion too: remember the old version for rollback. */
    private void recordActiveChanges(ModelsConfig before, ModelsConfig after) {
        before.surfaces().forEach((surface, s) -> {
            ModelsConfig.SurfaceModels now = after.surfaces().get(surface);
            if (now != null && !now.active().equals(s.active())) pushHistory(surface, s.active());
        });
    }

    private void applyAndWrite(ModelsConfig cfg) {
        byte[] yaml = cfg.toYaml();
        String hash = sha256(yaml);
        ModelRouter.RoutingTable table = router.prepare(cfg, hash);
        try {
            Files.createDirectories(modelsYaml.toAbsolutePath().getParent());
            Path tmp = modelsYaml.resolveSibling(modelsYaml.getFileName() + ".tmp");
            Files.write(tmp, yaml);
            try {
                Files.move(tmp, modelsYaml, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, modelsYaml, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + modelsYaml + "; nothing changed", e);
        }
        router.install(table);
        refusedHash = null;
        lastRefusal = null;
    }

    private void pushHistory(String surface, String version) {
        Map<String, Deque<String>> h = readHistory();
        Deque<String> stack = h.computeIfAbsent(surface, k -> new ArrayDeque<>());
        if (!version.equals(stack.peekLast())) stack.addLast(version);
        while (stack.size() > 50) stack.pollFirst();
        writeHistory(h);
    }

    private Map<String, Deque<String>> readHistory() {
        Map<String, Deque<String>> out = new LinkedHashMap<>();
        if (!Files.exists(historyFile)) return out;
        try {
            Map<String, List<String>> raw = JSON.readValue(historyFile.toFile(), new TypeReference<>() {
            });
            raw.forEach((k, v) -> out.put(k, new ArrayDeque<>(v)));
        } catch (IOException e) {
            LOG.warnf("unreadable %s, rollback history starts afresh: %s", historyFile, e.getMessage());
        }
        return out;
    }

    private void writeHistory(Map<String, Deque<String>> h) {
        Map<String, List<String>> raw = new LinkedHashMap<>();
        h.forEach((k, v) -> raw.put(k, new ArrayList<>(v)));
        try {
            Path tmp = historyFile.resolveSibling("history.json.tmp");
            JSON.writeValue(tmp.toFile(), raw);
            Files.move(tmp, historyFile, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + historyFile, e);
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
