package io.ranker.logging;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness detail {@code impression-log}: whether the log is writing, and why not. By default it stays UP
 * while failing (ranking still serves and names the log in {@code degraded}); set
 * {@code ranking.log.readiness-down-when-failing=true} to take the replica out of rotation instead.
 */
@Readiness
@ApplicationScoped
public class ImpressionLogHealthCheck implements HealthCheck {
    private final SegmentImpressionLog log;
    private final LogSettings settings;

    public ImpressionLogHealthCheck(SegmentImpressionLog log, LogSettings settings) {
        this.log = log;
        this.settings = settings;
    }

    @Override
    public HealthCheckResponse call() {
        SegmentImpressionLog.Status s = log.status();
        HealthCheckResponseBuilder b = HealthCheckResponse.named("impression-log")
                .status(s.healthy() || !settings.readinessDownWhenFailing())
                .withData("writing", s.healthy())
                .withData("dir", s.dir())
                .withData("replica", String.valueOf(s.replica()))
                .withData("records", s.records())
                .withData("failures", s.failures());
        if (s.activeSegment() != null) b.withData("segment", s.activeSegment());
        if (!s.healthy() && s.lastError() != null) b.withData("error", s.lastError());
        return b.build();
    }
}
