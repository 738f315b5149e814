package io.ranker.pipeline;

import io.ranker.core.DomainException;

import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;

/** The live surfaces; the whole map is swapped atomically when pipeline files change. */
public final class Surfaces {
    private final AtomicReference<Map<String, Surface>> live = new AtomicReference<>(Map.of());

    public Surface require(String name) {
        Surface s = live.get().get(name);
        if (s == null) {
            throw DomainException.notFoundAt("/surface", "unknown surface '" + name + "'; surfaces: " + new TreeSet<>(live.get().keySet()));
        }
        return s;
    }

    public Surface get(String name) {
        return live.get().get(name);
    }

    public Map<String, Surface> all() {
        return live.get();
    }

    public void replace(Map<String, Surface> surfaces) {
        live.set(Map.copyOf(surfaces));
    }
}
