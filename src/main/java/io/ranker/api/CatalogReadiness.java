package io.ranker.api;

import io.ranker.app.RankerRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only when the catalog index is open and at least one surface is loaded; lists invalid pipeline files. */
@Readiness
@ApplicationScoped
public class CatalogReadiness implements HealthCheck {
    private final RankerRuntime runtime;

    public CatalogReadiness(RankerRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public HealthCheckResponse call() {
        var index = runtime.index();
        boolean up = index != null && index.isOpen() && !runtime.surfaces().all().isEmpty();
        var b = HealthCheckResponse.named("catalog").status(up)
                .withData("items", index == null ? 0 : index.size())
                .withData("surfaces", String.join(",", runtime.surfaces().all().keySet()));
        if (runtime.watcher() != null) {
            runtime.watcher().errors().forEach((surface, errors) -> b.withData("pipeline." + surface + ".invalid", String.join("; ", errors)));
        }
        return b.build();
    }
}
