package io.ranker.tracing;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The finished spans of a test application, kept in memory. Quarkus exports through every SpanExporter bean (and
 * then installs no OTLP exporter); with the SDK disabled, as in every test profile but {@link TracingTest}'s, it is
 * never called.
 */
@ApplicationScoped
public class InMemorySpans {
    @Produces
    @Singleton
    InMemorySpanExporter exporter() {
        return InMemorySpanExporter.create();
    }
}
