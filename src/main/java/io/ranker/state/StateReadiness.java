package io.ranker.state;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the state store. With the shared store a replica is ready once it has loaded the policies, model
 * routing and switches from it; afterwards it stays ready while Redis is unreachable (it serves what it loaded, and
 * taking every replica out of the Service would be an outage), and the detail says how stale its state may be.
 */
@Readiness
@ApplicationScoped
public class StateReadiness implements HealthCheck {
    private final StateComponents state;

    public StateReadiness(StateComponents state) {
        this.state = state;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("state").up().withData("store", state.shared() ? "redis" : "local");
        if (!state.shared()) return b.build();
        StateWatcher w = state.watcher();
        b.withData("replica", state.replica());
        if (w == null) return b.down().withData("detail", "starting: the shared state is not loaded yet").build();
        b.withData("stalenessSeconds", String.format(java.util.Locale.ROOT, "%.1f", w.stalenessSeconds()));
        b.withData("loaded", String.join(",", new java.util.TreeSet<>(w.loadedKinds())));
        w.revisions().forEach((kind, rev) -> b.withData(kind + ".revision", rev));
        if (w.lastError() != null) b.withData("lastError", w.lastError());
        if (!w.ready()) b.down().withData("detail", "the shared state is not loaded yet");
        return b.build();
    }
}
