package io.ranker.explore;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The service's explorers, one per surface, and the exploration switches: the global kill switch and per-surface
 * pauses. The pipeline registers each surface's {@code explorer:} section when it loads or reloads a pipeline file
 * ({@link #configure}); the admin resource reads status and flips switches. The switches are persisted in the
 * {@link SwitchStore} (a restart never silently resumes exploration) and, with a shared store, followed by every
 * replica ({@link #sync}); requests read them from memory. A plain class apart from the scope annotation, so
 * commands and tests construct it directly.
 */
@ApplicationScoped
public class ExplorationControl {
    private static final Logger LOG = Logger.getLogger(ExplorationControl.class);

    private final SwitchStore store;
    private final KillSwitch killSwitch = new KillSwitch();
    private final Map<String, SurfaceExplorer> surfaces = new ConcurrentHashMap<>();
    /** The shared exposure counts when the service provides them (CDI); this replica's otherwise. */
    @Inject
    Instance<ExposureCounts> sharedCounts;
    private ExposureCounts counts;
    private volatile ExplorationSwitches switches = ExplorationSwitches.NONE;
    private volatile String loadError;

    /** Switches in memory only (commands, tests). */
    public ExplorationControl() {
        this(SwitchStore.IN_MEMORY);
    }

    @Inject
    public ExplorationControl(Instance<SwitchStore> store) {
        this(store.isResolvable() ? store.get() : SwitchStore.IN_MEMORY);
    }

    public ExplorationControl(SwitchStore store) {
        this.store = store;
        try {
            apply(store.load());
        } catch (RuntimeException e) {
            // Fail safe: when the persisted switches cannot be read, explore nothing until they can.
            loadError = e.getMessage();
            killSwitch.engage();
            LOG.errorf("exploration switches unreadable, exploration stays off until they are: %s", e.getMessage());
        }
    }

    /** Creates the surface's explorer, or hot-swaps its configuration (exposure history is kept). */
    public SurfaceExplorer configure(String surface, ExplorerConfig config) {
        return surfaces.compute(surface, (name, existing) -> {
            if (existing == null) return new SurfaceExplorer(name, config, killSwitch, counts(), () -> switches.paused(name));
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

    public ExplorationSwitches switches() {
        return switches;
    }

    /** Engages or releases the kill switch on every surface (persisted, audited with {@code actor}). */
    public synchronized ExplorationSwitches setKillSwitch(boolean engaged, String actor) {
        ExplorationSwitches next = store.set(null, engaged, actor);
        apply(next);
        LOG.infof("exploration kill switch %s by %s", engaged ? "engaged" : "released", actor);
        return next;
    }

    /** Pauses (no exploration, whatever the pipeline file says) or resumes one surface's exploration. */
    public synchronized ExplorationSwitches setPaused(String surface, boolean paused, String actor) {
        ExplorationSwitches next = store.set(surface, paused, actor);
        apply(next);
        LOG.infof("exploration on %s %s by %s", surface, paused ? "paused" : "resumed", actor);
        return next;
    }

    /**
     * Follows the store (a flip made through another replica).
     *
     * @return whether the switches changed
     */
    public synchronized boolean sync() {
        ExplorationSwitches now = store.load();
        if (now.revision() == switches.revision() && loadError == null) return false;
        apply(now);
        LOG.infof("exploration switches now: kill switch %s, paused %s (revision %d, by %s)",
                now.killSwitch() ? "engaged" : "released", now.pausedSurfaces(), now.revision(), now.changedBy());
        return true;
    }

    private void apply(ExplorationSwitches s) {
        if (s.revision() < switches.revision()) return; // never go back (a sync racing with a local flip)
        switches = s;
        loadError = null;
        if (s.killSwitch()) killSwitch.engage();
        else killSwitch.release();
    }

    /** Status for the admin endpoint and readiness detail: switches and each surface's explorer. */
    public Map<String, Object> status() {
        ExplorationSwitches s = switches;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("killSwitch", killSwitch.engaged());
        out.put("pausedSurfaces", s.pausedSurfaces());
        out.put("revision", s.revision());
        if (s.changedBy() != null) {
            out.put("changedBy", s.changedBy());
            out.put("changedAt", s.changedAt());
        }
        if (loadError != null) out.put("error", loadError);
        Map<String, Object> bySurface = new java.util.TreeMap<>();
        surfaces.forEach((name, e) -> {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("explorer", e.name());
            one.put("paused", s.paused(name));
            one.put("config", e.config());
            bySurface.put(name, one);
        });
        out.put("surfaces", bySurface);
        return out;
    }
}
