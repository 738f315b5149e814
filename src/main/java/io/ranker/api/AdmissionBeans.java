package io.ranker.api;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The service's {@link AdmissionGate}, with its metrics ({@code ranker_admission_*}). */
@ApplicationScoped
public class AdmissionBeans {
    @Produces
    @Singleton
    AdmissionGate admissionGate(AdmissionSettings settings, MeterRegistry registry) {
        AdmissionGate gate = new AdmissionGate(settings.effectiveMaxInFlight(), settings.maxWaitMillis());
        Gauge.builder("ranker.admission.in_flight", gate, AdmissionGate::inFlight)
                .description("ranking requests running now").register(registry);
        FunctionCounter.builder("ranker.admission.refused", gate, AdmissionGate::refused)
                .description("ranking requests refused with 503 because the service was at capacity").register(registry);
        return gate;
    }
}
