package io.ranker.explore;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ranker.core.DurableFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The exploration switches of one node: {@code <data-dir>/exploration/switches.json}, replaced durably at every flip
 * (temp file, fsync, rename, fsync of the directory), and {@code audit.jsonl} beside it. An unreadable switches file
 * is an error at startup, not "exploration on": engaging the kill switch must never be undone by a damaged file.
 */
public final class FileSwitchStore implements SwitchStore {
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private final Path file;
    private final Path audit;
    private final Clock clock;

    public FileSwitchStore(Path dir, Clock clock) {
        this.file = dir.resolve("switches.json");
        this.audit = dir.resolve("audit.jsonl");
        this.clock = clock;
    }

    @Override
    public synchronized ExplorationSwitches load() {
        if (!Files.exists(file)) return ExplorationSwitches.NONE;
        try {
            return JSON.readValue(file.toFile(), ExplorationSwitches.class);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the exploration switches " + file + " (" + e.getMessage()
                    + "): fix or delete it; exploration is not resumed by a damaged file", e);
        }
    }

    @Override
    public synchronized ExplorationSwitches set(String surface, boolean on, String actor) {
        String at = clock.instant().toString();
        ExplorationSwitches next = SwitchStore.apply(load(), surface, on, actor, at);
        try {
            DurableFiles.write(file, JSON.writeValueAsBytes(next));
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("time", at);
            e.put("actor", actor);
            e.put("switch", surface == null ? "kill-switch" : "surface:" + surface);
            e.put(surface == null ? "engaged" : "paused", on);
            e.put("revision", next.revision());
            DurableFiles.truncateTornTail(audit);
            DurableFiles.append(audit, (JSON.writeValueAsString(e) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot persist the exploration switches to " + file, e);
        }
        return next;
    }
}
