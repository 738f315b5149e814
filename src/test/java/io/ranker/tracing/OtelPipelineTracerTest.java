package io.ranker.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.ranker.core.Candidate;
import io.ranker.core.Item;
import io.ranker.core.PolicyStage;
import io.ranker.core.RankRequest;
import io.ranker.core.RankingContext;
import io.ranker.core.Scorer;
import io.ranker.core.SourceHit;
import io.ranker.explore.NoExplorer;
import io.ranker.pipeline.PipelineTracer;
import io.ranker.pipeline.RankingPipeline;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The pipeline's spans on the OpenTelemetry SDK (no Quarkus): stage attributes, degradations per stage, sampling. */
class OtelPipelineTracerTest {
    final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    SdkTracerProvider provider;

    Tracer tracer(Sampler sampler) {
        provider = SdkTracerProvider.builder().setSampler(sampler).addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
        return provider.get("test");
    }

    @AfterEach
    void close() {
        if (provider != null) provider.close();
    }

    static RankingContext ctx() {
        return new RankingContext(new RankRequest("feed", "u1", null, null, null, null, 3, false, null), "imp-7", 42L);
    }

    static List<Candidate> candidates() {
        List<Candidate> out = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Candidate c = new Candidate("c" + i, new Item("c" + i, null, null, Map.of(), null));
            c.addHit(new SourceHit("text", 4.0 - i, i + 1));
            c.setRetrievalScore(1.0 / (61 + i));
            c.setScore(c.retrievalScore());
            c.setFeatures(new float[]{i});
            out.add(c);
        }
        return out;
    }

    static Scorer failing(String version) {
        return new Scorer() {
            @Override
            public String version() { return version; }

            @Override
            public double[] score(RankingContext ctx, List<Candidate> cs) throws Exception {
                throw new java.io.IOException("down");
            }
        };
    }

    SpanData span(String name) {
        return exporter.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow(
                () -> new AssertionError(name + " not in " + exporter.getFinishedSpanItems()));
    }

    @Test
    void stagesBecomeChildSpansWithTheirOutcomeAndTheDegradationsThatHappenedInThem() {
        OtelPipelineTracer otel = new OtelPipelineTracer(tracer(Sampler.alwaysOn()));
        RankingContext ctx = ctx();
        long t0 = System.nanoTime();
        PipelineTracer.RequestTrace trace = otel.begin(ctx);
        trace.candidates("text", 120);
        trace.candidates("vector", 80);
        ctx.degrade("retrieval.vector:timeout");
        ctx.setPipelineVersion("pl-1");
        trace.stage("retrieval", t0, t0 + 1_000_000);
        ctx.degrade("features:redis-unavailable");
        trace.stage("features", t0 + 1_000_000, t0 + 3_000_000);
        ctx.setModelVersion("m-9");
        trace.stage("scoring", t0 + 3_000_000, t0 + 4_000_000);
        trace.stage("logging", t0 + 4_000_000, t0 + 5_000_000);
        trace.end();

        SpanData rank = span("ranker.rank"), retrieval = span("ranker.retrieval"), features = span("ranker.features");
        assertThat(ctx.traceId()).isEqualTo(rank.getTraceId()).matches("[0-9a-f]{32}");
        assertThat(retrieval.getParentSpanId()).isEqualTo(rank.getSpanId());
        assertThat(retrieval.getAttributes().get(AttributeKey.longKey("ranker.candidates.text"))).isEqualTo(120L);
        assertThat(retrieval.getAttributes().get(AttributeKey.longKey("ranker.candidates.vector"))).isEqualTo(80L);
        assertThat(retrieval.getAttributes().get(AttributeKey.longKey("ranker.candidates"))).isEqualTo(200L);
        assertThat(retrieval.getAttributes().get(AttributeKey.stringArrayKey("ranker.degraded"))).containsExactly("retrieval.vector:timeout");
        assertThat(features.getAttributes().get(AttributeKey.stringArrayKey("ranker.degraded"))).containsExactly("features:redis-unavailable");
        assertThat(span("ranker.scoring").getAttributes().get(AttributeKey.stringArrayKey("ranker.degraded"))).isNull();
        assertThat(span("ranker.scoring").getAttributes().get(AttributeKey.stringKey("ranker.model.version"))).isEqualTo("m-9");
        assertThat(span("ranker.side_effect.logging").getAttributes().get(AttributeKey.stringKey("ranker.stage"))).isEqualTo("side_effect");
        // stamped with the pipeline's own timings
        assertThat(features.getEndEpochNanos() - features.getStartEpochNanos()).isEqualTo(2_000_000L);
        assertThat(rank.getAttributes().get(AttributeKey.stringArrayKey("ranker.degraded")))
                .containsExactly("retrieval.vector:timeout", "features:redis-unavailable");
        assertThat(rank.getAttributes().get(AttributeKey.stringKey("ranker.pipeline.version"))).isEqualTo("pl-1");
    }

    @Test
    void anUnsampledRequestKeepsItsTraceIdButMakesNoSpan() {
        OtelPipelineTracer otel = new OtelPipelineTracer(tracer(Sampler.alwaysOff()));
        RankingContext ctx = ctx();
        PipelineTracer.RequestTrace trace = otel.begin(ctx);
        trace.stage("retrieval", 0, 1);
        trace.end();
        assertThat(ctx.traceId()).matches("[0-9a-f]{32}");
        assertThat(exporter.getFinishedSpanItems()).isEmpty();
    }

    @Test
    void theRequestSpanContinuesTheCurrentTraceAndIsCurrentWhileRanking() {
        Tracer t = tracer(Sampler.alwaysOn());
        OtelPipelineTracer otel = new OtelPipelineTracer(t);
        Span server = t.spanBuilder("server").startSpan();
        RankingContext ctx = ctx();
        try (Scope ignored = server.makeCurrent()) {
            PipelineTracer.RequestTrace trace = otel.begin(ctx);
            assertThat(Span.current().getSpanContext().getSpanId()).isNotEqualTo(server.getSpanContext().getSpanId());
            trace.end();
            assertThat(Span.current()).isSameAs(server);
        }
        server.end();
        assertThat(span("ranker.rank").getParentSpanId()).isEqualTo(server.getSpanContext().getSpanId());
        assertThat(ctx.traceId()).isEqualTo(server.getSpanContext().getTraceId());
    }

    @Test
    void throughThePipelineAModelFailureIsOnTheScoringSpanAndExplicitStagesAreNotTraced() {
        RankingPipeline pipeline = RankingPipeline.builder().featureNames(List.of("f0"))
                .scorers(ctx -> failing("m-bad")).policies(ctx -> PolicyStage.NONE).explorers(ctx -> NoExplorer.INSTANCE)
                .tracer(new OtelPipelineTracer(tracer(Sampler.alwaysOn()))).build();
        RankingContext ctx = ctx();
        pipeline.rankCandidates(ctx, candidates(), RankingPipeline.Mode.PREVIEW);
        assertThat(span("ranker.scoring").getAttributes().get(AttributeKey.stringArrayKey("ranker.degraded"))).containsExactly("model:m-bad");
        assertThat(exporter.getFinishedSpanItems()).extracting(SpanData::getName)
                .containsExactlyInAnyOrder("ranker.scoring", "ranker.policy", "ranker.explore", "ranker.rank");
        assertThat(ctx.traceId()).isNotNull();

        exporter.reset();
        // replay's entry: stages given per call, nothing traced
        pipeline.rankCandidates(ctx(), candidates(), new RankingPipeline.Stages(failing("m-bad"), PolicyStage.NONE,
                NoExplorer.INSTANCE, Set.of(), null), RankingPipeline.Mode.PREVIEW);
        assertThat(exporter.getFinishedSpanItems()).isEmpty();
    }
}
