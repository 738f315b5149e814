package io.ranker.policy;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness detail of the policy stage: each surface's live version and whether its rule file is valid.
 * An invalid file alone keeps the service ready (the last good version serves); a surface whose file is
 * invalid and that has no live version at all is not ready, since its business guarantees would be missing.
 */
@Readiness
@ApplicationScoped
public class PolicyReadiness implements HealthCheck {
    private final PolicyRegistry registry;

    public PolicyReadiness(PolicyRegistry registry) {
        this.registry = registry;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("policies").up();
        registry.allLive().forEach((surface, live) -> b.withData(surface + ".version", live.meta().version()));
        registry.fileStatus().forEach((surface, status) -> {
            if (status.valid()) return;
            b.withData(surface + ".file", "invalid: " + status.errors().size() + " error(s), first: "
                    + status.errors().get(0) + "; serving " + (status.liveVersion() == null ? "no rules" : status.liveVersion()));
            if (status.liveVersion() == null) b.down();
        });
        return b.build();
    }
}
