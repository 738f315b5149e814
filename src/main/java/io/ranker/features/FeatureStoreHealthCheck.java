package io.ranker.features;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Reports the feature store and its circuit breaker. Always UP: the feature stage fails open (cache, then NaN),
 * so a replica with Redis down still serves and must stay in the load balancer; the data says it is degraded.
 * (Quarkus' own Redis health check is disabled: it would ping Redis even with the memory store.)
 */
@Readiness
@ApplicationScoped
public class FeatureStoreHealthCheck implements HealthCheck {
    private final StoreFeatureHydrator hydrator;

    public FeatureStoreHealthCheck(StoreFeatureHydrator hydrator) {
        this.hydrator = hydrator;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("features")
                .withData("store", hydrator.store().kind())
                .withData("schema", hydrator.schema().version())
                .withData("breaker", hydrator.breaker().isOpen() ? "open (serving cached/NaN features)" : "closed")
                .up().build();
    }
}
