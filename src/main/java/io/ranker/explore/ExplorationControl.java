package io.ranker.explore;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The service's explorers, one per surface, and the global kill switch. The pipeline registers each
 * surface's {@code explorer:} section when it loads or reloads a pipeline file ({@link #configure}); the
 * admin resource reads status and flips the kill switch. A plain class apart from the scope annotation, so
 * commands and tests construct it directly.
 */
@ApplicationScoped
public class ExplorationControl {
    private final KillSwitch killSwitch = new KillSwitch();
    private final Map<String, SurfaceExplorer> surfaces = new ConcurrentHashMap<>();
    /** The shared exposure counts when the service provides them (CDI); this replica's otherwise. */
    @Inject
    Instance<ExposureCounts> sharedCounts;
    private ExposureCounts counts;

    /** Creates the surface's explorer, or hot-swaps its configuration (exposure history is kept). */
    public SurfaceExplorer configure(String surface, ExplorerConfig config) {
        return surfaces.compute(surface, (name, existing) -> {
            if (existing == null) return new SurfaceExplorer(name, config, killSwitch, counts());
            existing.reconfigure(config);
            return existing;
        });
    }

    private synchronized ExposureCounts counts() {
        if (counts == null) {
            counts = sharedCounts != null && sharedCounts.isResolvable() ? sharedCounts.get() : new LocalExposureCounts();
        }
        return counts;
    }

    public Optional<SurfaceExplorer> surface(String surface) {
        return Optional.ofNullable(surfaces.get(surface));
    }

    public KillSwitch killSwitch() {
        return killSwitch;
    }

    /** Status for the admin endpoint and readiness detail: kill switch and each surface's explorer. */
    public Map<String, Object> status() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("killSwitch", killSwitch.engaged());
        Map<String, Object> bySurface = new java.util.TreeMap<>();
        surfaces.forEach((name, s) -> {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("explorer", s.name());
            one.put("config", s.config());
            bySurface.put(name, one);
        });
        out.put("surfaces", bySurface);
        return out;
    }
}
