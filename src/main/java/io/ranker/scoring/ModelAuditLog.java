package io.ranker.scoring;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Append-only audit trail of model releases, {@code <data-dir>/models/audit.jsonl}: one JSON object per line
 * with {@code time}, {@code actor}, {@code action} (upload, promote, rollback, reload, reload-refused,
 * upload-refused, promote-refused), {@code surface}, {@code version}, {@code previous} and {@code detail}.
 */
public final class ModelAuditLog implements ModelAudit {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Clock clock;

    public ModelAuditLog(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    public Path file() { return file; }

    @Override
    public synchronized void record(String actor, String action, String surface, String version, String previous,
                                    String detail) {
        append(entry(clock, actor, action, surface, version, previous, detail));
    }

    /** One audit entry as written (shared with the Redis trail, so both read the same). */
    public static Map<String, Object> entry(Clock clock, String actor, String action, String surface, String version,
                                            String previous, String detail) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("time", clock.instant().toString());
        e.put("actor", actor);
        e.put("action", action);
        if (surface != null) e.put("surface", surface);
        if (version != null) e.put("version", version);
        if (previous != null) e.put("previous", previous);
        if (detail != null) e.put("detail", detail);
        return e;
    }

    synchronized void append(Map<String, Object> e) {
        try {
            io.ranker.core.DurableFiles.truncateTornTail(file);
            io.ranker.core.DurableFiles.append(file, (JSON.writeValueAsString(e) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot append to the model audit trail " + file, ex);
        }
    }

    /** The most recent entries, newest last. */
    @Override
    @SuppressWarnings("unchecked")
    public synchronized List<Map<String, Object>> tail(int max) {
        if (!Files.exists(file)) return List.of();
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            List<Map<String, Object>> out = new ArrayList<>();
            for (String l : lines.subList(Math.max(0, lines.size() - max), lines.size())) {
                if (l.isBlank()) continue;
                try {
                    out.add(JSON.readValue(l, Map.class));
                } catch (IOException torn) {
                    // a torn last line (crash mid-append) is cut off before the next append
                }
            }
            return out;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
