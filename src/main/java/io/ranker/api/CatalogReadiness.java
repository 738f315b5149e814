package io.ranker.api;

import io.ranker.app.RankerRuntime;
import io.ranker.catalog.CatalogSettings;
import io.ranker.catalog.changelog.CatalogReplication;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only when the catalog index is open, at least one surface is loaded, the catalog is not empty in production
 * mode ({@code ranking.catalog.demo-items=0}: an empty catalog ranks nothing), and with the shared catalog, when this
 * replica is within the configured lag of the changelog's head. Lists invalid pipeline files.
 */
@Readiness
@ApplicationScoped
public class CatalogReadiness implements HealthCheck {
    private final RankerRuntime runtime;
    private final CatalogReplication replication;
    private final boolean production;

    public CatalogReadiness(RankerRuntime runtime, CatalogReplication replication, CatalogSettings settings) {
        this.runtime = runtime;
        this.replication = replication;
        this.production = settings.demoItems() == 0;
    }

    @Override
    public HealthCheckResponse call() {
        var index = runtime.index();
        int items = index == null ? 0 : index.size();
        boolean open = index != null && index.isOpen();
        boolean emptyInProduction = production && items == 0;
        boolean changelogReady = replication.ready();
        boolean up = open && !runtime.surfaces().all().isEmpty() && !emptyInProduction && changelogReady;
        var b = HealthCheckResponse.named("catalog").status(up)
                .withData("items", items)
                .withData("surfaces", String.join(",", runtime.surfaces().all().keySet()));
        if (emptyInProduction) b.withData("empty", "the catalog has no items (production mode: ranking.catalog.demo-items=0)");
        if (replication.enabled() && open) {
            CatalogReplication.Status s = replication.status();
            b.withData("changelog", s.state()).withData("changelog.applied", s.appliedId())
                    .withData("changelog.lagEntries", s.lagEntries()).withData("changelog.lagSeconds", String.valueOf(s.lagSeconds()));
            if (s.failure() != null) b.withData("changelog.failure", s.failure());
        }
        if (runtime.watcher() != null) {
            runtime.watcher().errors().forEach((surface, errors) -> b.withData("pipeline." + surface + ".invalid", String.join("; ", errors)));
        }
        return b.build();
    }
}
