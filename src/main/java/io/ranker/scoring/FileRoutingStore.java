package io.ranker.scoring;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ranker.core.DurableFiles;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The live model routing of one node, under the data directory: {@code <data-dir>/models/routing.yaml} (the
 * {@link ModelsConfig} format), {@code history.json} (rollback stacks) and {@code audit.jsonl}. The tracked
 * {@code ranking-config/models.yaml} only seeds surfaces that have no routing here ({@link ModelRelease#seed}):
 * serving from a checkout never writes a tracked file. Every write is a durable replace (temp file, fsync, rename, fsync of the
 * directory). An empty or unreadable {@code routing.yaml} is an error, never "no models": the previous routing keeps
 * serving, and at startup nothing is routed and responses say so. Hand edits of {@code routing.yaml} are picked
 * up by {@link #load}.
 */
public final class FileRoutingStore implements RoutingStore {
    private static final Logger LOG = Logger.getLogger(FileRoutingStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int STACK_CAP = 50;

    private final Path routingFile;
    private final Path historyFile;
    private final ModelAuditLog audit;
    /** What the file held when last read, with per-surface revisions (counted by this process). */
    private Map<String, SurfaceRouting> loaded = Map.of();
    private String loadedHash;
    private long counter;

    /** @param routingFile {@code <data-dir>/models/routing.yaml} */
    public FileRoutingStore(Path routingFile, ModelAuditLog audit) {
        this.routingFile = routingFile;
        this.historyFile = routingFile.resolveSibling("history.json");
        this.audit = audit;
    }

    public Path routingFile() { return routingFile; }

    @Override
    public ModelAudit audit() { return audit; }

    @Override
    public String describe() {
        return "file:" + routingFile.toAbsolutePath();
    }

    @Override
    public synchronized Map<String, SurfaceRouting> load() {
        if (!Files.exists(routingFile)) return loaded = Map.of();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(routingFile);
        } catch (IOException e) {
            throw new ModelRejectedException("cannot read " + routingFile + ": " + e.getMessage());
        }
        String hash = ModelRelease.sha256(bytes);
        if (hash.equals(loadedHash)) return loaded;
        if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
            throw new ModelRejectedException(routingFile + " is empty (a crash or a bad copy?): it is not read as 'no models'; "
                    + "restore it (state import, or the versions in " + routingFile.resolveSibling("audit.jsonl") + ")");
        }
        ModelsConfig cfg = ModelsConfig.parse(bytes);
        Map<String, SurfaceRouting> next = new LinkedHashMap<>();
        boolean firstLoad = loadedHash == null;
        cfg.surfaces().forEach((surface, models) -> {
            SurfaceRouting before = loaded.get(surface);
            if (before != null && before.models().equals(models)) {
                next.put(surface, before);
                return;
            }
            next.put(surface, new SurfaceRouting(models, ++counter));
        });
        if (!firstLoad) {
            audit.record("file:" + routingFile.getFileName(), "reload", null, null, null, "routing " + hash.substring(0, 16));
        }
        loadedHash = hash;
        return loaded = next;
    }

    @Override
    public synchronized long commit(String surface, ModelsConfig.SurfaceModels next, long expectedRevision,
                                    String pushPrevious, int pop, Map<String, Object> entry) {
        Map<String, SurfaceRouting> current = load();
        SurfaceRouting cur = current.get(surface);
        if ((cur == null ? 0 : cur.revision()) != expectedRevision) throw new StaleRoutingException(surface);
        Map<String, ModelsConfig.SurfaceModels> all = new LinkedHashMap<>();
        current.forEach((s, r) -> all.put(s, r.models()));
        all.put(surface, next);
        byte[] yaml = new ModelsConfig(all).toYaml();
        try {
            DurableFiles.write(routingFile, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + routingFile + "; nothing changed", e);
        }
        long revision = ++counter;
        Map<String, SurfaceRouting> updated = new LinkedHashMap<>(current);
        updated.put(surface, new SurfaceRouting(next, revision));
        loaded = updated;
        loadedHash = ModelRelease.sha256(yaml);
        if (pushPrevious != null) push(surface, pushPrevious);
        if (pop > 0) {
            Map<String, List<String>> h = readHistory();
            List<String> stack = h.getOrDefault(surface, new ArrayList<>());
            for (int i = 0; i < pop && !stack.isEmpty(); i++) stack.remove(stack.size() - 1);
            h.put(surface, stack);
            writeHistory(h);
        }
        if (entry != null) {
            Map<String, Object> e = new LinkedHashMap<>(entry);
            e.put("revision", revision);
            audit.append(e);
        }
        return revision;
    }

    @Override
    public synchronized void rememberActive(String surface, String previousActive) {
        push(surface, previousActive);
    }

    @Override
    public synchronized List<String> previous(String surface) {
        return List.copyOf(readHistory().getOrDefault(surface, List.of()));
    }

    private void push(String surface, String version) {
        Map<String, List<String>> h = readHistory();
        List<String> stack = h.computeIfAbsent(surface, k -> new ArrayList<>());
        if (!Objects.equals(version, stack.isEmpty() ? null : stack.get(stack.size() - 1))) stack.add(version);
        while (stack.size() > STACK_CAP) stack.remove(0);
        writeHistory(h);
    }

    private Map<String, List<String>> readHistory() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (!Files.exists(historyFile)) return out;
        try {
            Map<String, List<String>> raw = JSON.readValue(historyFile.toFile(), new TypeReference<>() {
            });
            raw.forEach((k, v) -> out.put(k, new ArrayList<>(v)));
        } catch (IOException e) {
            LOG.warnf("unreadable %s, rollback history starts afresh: %s", historyFile, e.getMessage());
        }
        return out;
    }

    private void writeHistory(Map<String, List<String>> h) {
        try {
            DurableFiles.write(historyFile, JSON.writeValueAsBytes(h));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + historyFile, e);
        }
    }
}
