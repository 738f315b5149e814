package io.ranker.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.ranker.logging.ImpressionRecord;
import io.ranker.logging.LogEntry;
import io.ranker.logging.LogReader;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tracing on (as QUARKUS_OTEL_SDK_DISABLED=false does in production), spans kept in memory: one /v1/rank with a
 * caller's W3C traceparent yields a request span and a span per stage under the caller's trace, with the stage
 * outcomes as attributes, and the impression record carries the caller's trace id.
 */
@QuarkusTest
@TestProfile(TracingTest.TracingOn.class)
class TracingTest {
    public static class TracingOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.otel.sdk.disabled", "false");
        }
    }

    static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String CALLER_SPAN = "00f067aa0ba902b7";

    @Inject
    InMemorySpanExporter spans;

    @Test
    void aRankRequestIsTracedStageByStageUnderTheCallersTrace() throws Exception {
        spans.reset();
        String impressionId = given().contentType(ContentType.JSON)
                .header("traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01")
                .body("{\"surface\":\"search\",\"userId\":\"u-trace\",\"query\":\"espresso machine\",\"limit\":5}")
                .when().post("/v1/rank").then().statusCode(200).extract().path("impressionId");

        List<SpanData> trace = awaitSpans(impressionId);
        Map<String, SpanData> byName = trace.stream().collect(Collectors.toMap(SpanData::getName, s -> s, (a, b) -> a));
        assertThat(byName).containsKeys("ranker.rank", "ranker.retrieval", "ranker.features", "ranker.scoring",
                "ranker.policy", "ranker.explore", "ranker.side_effect.logging", "ranker.side_effect.counters",
                "ranker.side_effect.seen-history");
        assertThat(trace).allSatisfy(s -> assertThat(s.getTraceId()).isEqualTo(TRACE_ID));

        SpanData rank = byName.get("ranker.rank");
        // the request span hangs under the HTTP server span Quarkus made from the caller's traceparent
        SpanData server = trace.stream().filter(s -> s.getSpanId().equals(rank.getParentSpanId())).findFirst().orElseThrow();
        assertThat(server.getParentSpanId()).isEqualTo(CALLER_SPAN);
        assertThat(rank.getAttributes().get(AttributeKey.stringKey("ranker.surface"))).isEqualTo("search");
        assertThat(rank.getAttributes().get(AttributeKey.stringKey("ranker.impression_id"))).isEqualTo(impressionId);
        for (SpanData s : trace) {
            if (s.getName().startsWith("ranker.") && !s.getName().equals("ranker.rank")) {
                assertThat(s.getParentSpanId()).as(s.getName()).isEqualTo(rank.getSpanId());
                assertThat(s.getStartEpochNanos()).as(s.getName()).isBetween(rank.getStartEpochNanos(), rank.getEndEpochNanos());
                assertThat(s.getEndEpochNanos()).as(s.getName()).isBetween(s.getStartEpochNanos(), rank.getEndEpochNanos());
            }
        }
        SpanData retrieval = byName.get("ranker.retrieval");
        assertThat(retrieval.getAttributes().get(AttributeKey.longKey("ranker.candidates"))).isPositive();
        assertThat(retrieval.getAttributes().asMap().keySet().stream().map(AttributeKey::getKey))
                .anyMatch(k -> k.startsWith("ranker.candidates.")); // one count per source
        String model = byName.get("ranker.scoring").getAttributes().get(AttributeKey.stringKey("ranker.model.version"));
        String policy = byName.get("ranker.policy").getAttributes().get(AttributeKey.stringKey("ranker.policy.version"));
        assertThat(model).isNotBlank();
        assertThat(policy).isNotBlank();
        assertThat(byName.get("ranker.explore").getAttributes().get(AttributeKey.stringKey("ranker.explorer"))).isNotBlank();

        ImpressionRecord logged = logged(impressionId).orElseThrow();
        assertThat(logged.traceId()).isEqualTo(TRACE_ID);
        assertThat(logged.versions()).containsEntry("model", model).containsEntry("policy", policy);
    }

    @Test
    void withoutATraceparentTheRequestStartsItsOwnTrace() throws Exception {
        spans.reset();
        String impressionId = given().contentType(ContentType.JSON)
                .body("{\"surface\":\"feed\",\"userId\":\"u-trace-2\",\"limit\":5}")
                .when().post("/v1/rank").then().statusCode(200).extract().path("impressionId");
        ImpressionRecord logged = logged(impressionId).orElseThrow();
        assertThat(logged.traceId()).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32)).isNotEqualTo(TRACE_ID);
    }

    private List<SpanData> awaitSpans(String impressionId) throws InterruptedException {
        // spans are exported when they end; the server span ends after the response is written
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            List<SpanData> all = spans.getFinishedSpanItems();
            Optional<SpanData> rank = all.stream().filter(s -> s.getName().equals("ranker.rank")
                    && impressionId.equals(s.getAttributes().get(AttributeKey.stringKey("ranker.impression_id")))).findFirst();
            if (rank.isPresent()) {
                String traceId = rank.get().getTraceId();
                List<SpanData> trace = all.stream().filter(s -> s.getTraceId().equals(traceId)).toList();
                if (trace.stream().anyMatch(s -> s.getSpanId().equals(rank.get().getParentSpanId()))) return trace;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no complete trace for " + impressionId + " in " + spans.getFinishedSpanItems());
    }

    private static Optional<ImpressionRecord> logged(String impressionId) {
        try (var s = LogReader.of(Path.of("target/test-data/logs")).stream()) {
            return s.filter(LogEntry::isImpression).map(LogEntry::impression)
                    .filter(r -> impressionId.equals(r.impressionId())).findFirst();
        }
    }
}
