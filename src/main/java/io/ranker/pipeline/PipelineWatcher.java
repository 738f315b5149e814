package io.ranker.pipeline;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads {@code pipelines/<surface>.yaml} and reloads a file when its content changes (polled: cheap, and it
 * works on every file system including ConfigMap mounts, where inotify misses symlink swaps). A file that
 * fails validation is reported and never replaces its live surface.
 */
public final class PipelineWatcher {
    private static final Logger LOG = Logger.getLogger(PipelineWatcher.class);
    private final Path dir;
    private final SurfaceFactory factory;
    private final Surfaces surfaces;
    private final Map<String, String> loadedHashes = new HashMap<>();
    private final Map<String, List<String>> errors = new LinkedHashMap<>();

    public PipelineWatcher(Path dir, SurfaceFactory factory, Surfaces surfaces) {
        this.dir = dir;
        this.factory = factory;
        this.surfaces = surfaces;
    }

    /** Loads or reloads changed files; returns the surfaces whose files are currently invalid. */
    public synchronized Map<String, List<String>> poll() {
        Map<String, Surface> next = new LinkedHashMap<>(surfaces.all());
        boolean changed = false;
        java.util.Set<String> present = new java.util.HashSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.{yaml,yml}")) {
            for (Path f : files) {
                String surface = f.getFileName().toString().replaceFirst("\\.ya?ml$", "");
                present.add(surface);
                byte[] bytes = Files.readAllBytes(f);
                String hash = PipelineConfigParser.hash(bytes);
                if (hash.equals(loadedHashes.get(surface))) continue;
                try {
                    Surface s = factory.build(PipelineConfigParser.parse(surface, bytes));
                    next.put(surface, s);
                    loadedHashes.put(surface, hash);
                    errors.remove(surface);
                    changed = true;
                    LOG.infof("pipeline %s loaded (version %s)", surface, hash);
                } catch (PipelineConfigParser.InvalidPipeline | RuntimeException e) {
                    List<String> why = e instanceof PipelineConfigParser.InvalidPipeline ip ? ip.errors() : List.of(String.valueOf(e.getMessage()));
                    if (!why.equals(errors.get(surface))) LOG.errorf("pipeline %s NOT loaded, keeping the live one: %s", surface, why);
                    errors.put(surface, why);
                    loadedHashes.put(surface, hash);
                }
            }
        } catch (IOException e) {
            LOG.errorf("cannot read pipeline directory %s: %s", dir, e.getMessage());
            return Map.copyOf(errors);
        }
        if (next.keySet().retainAll(present)) changed = true; // a deleted file retires its surface
        loadedHashes.keySet().retainAll(present);
        errors.keySet().retainAll(present);
        if (changed) surfaces.replace(next);
        return Map.copyOf(errors);
    }

    public synchronized Map<String, List<String>> errors() {
        return Map.copyOf(errors);
    }
}
