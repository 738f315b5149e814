package io.ranker.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ranker.core.DurableFiles;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Replay jobs of one node: {@code <data-dir>/replay/<jobId>.json}, replaced durably at every save. A job found here
 * still "running" was not run by this process (the node restarted while it ran): {@link #load} reports it not alive,
 * so it reads as failed instead of running forever.
 */
public final class FileJobStore implements JobStore {
    private static final Logger LOG = Logger.getLogger(FileJobStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;

    public FileJobStore(Path dir) {
        this.dir = dir;
    }

    @Override
    public void save(String id, Map<String, Object> view) {
        try {
            DurableFiles.write(dir.resolve(id + ".json"), JSON.writeValueAsBytes(view));
        } catch (IOException e) {
            LOG.warnf("cannot store replay job %s: %s", id, e.getMessage());
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public Optional<Stored> load(String id) {
        Path p = dir.resolve(id + ".json");
        if (!Files.isRegularFile(p)) return Optional.empty();
        try {
            return Optional.of(new Stored(JSON.readValue(p.toFile(), Map.class), false));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> recent(int max) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(f -> f.getFileName().toString().endsWith(".json"))
                    .sorted(Comparator.comparing(this::modified).reversed()).limit(max).toList()) {
                try {
                    Map<String, Object> v = JSON.readValue(p.toFile(), Map.class);
                    v.remove("result");
                    out.add(v);
                } catch (IOException e) {
                    // a damaged job file is not listed
                }
            }
        } catch (IOException e) {
            LOG.warnf("cannot list %s: %s", dir, e.getMessage());
        }
        return out;
    }

    private long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public boolean delete(String id) {
        try {
            return Files.deleteIfExists(dir.resolve(id + ".json"));
        } catch (IOException e) {
            LOG.warnf("cannot delete replay job %s: %s", id, e.getMessage());
            return false;
        }
    }

    @Override
    public void prune(java.time.Duration ttl, int maxStored) {
        if (!Files.isDirectory(dir)) return;
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> results = files.filter(f -> f.getFileName().toString().endsWith(".json"))
                    .sorted(Comparator.comparing(this::modified).reversed()).toList();
            long oldest = System.currentTimeMillis() - ttl.toMillis();
            for (int i = 0; i < results.size(); i++) {
                Path f = results.get(i);
                if (i >= maxStored || modified(f) < oldest) Files.deleteIfExists(f);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warnf("cannot prune replay results in %s: %s", dir, e.toString());
        }
    }

    @Override
    public void running(String id, boolean running) {
        // one node: the jobs it runs are in its memory
    }
}
