package io.ranker.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.ranker.core.RankingContext;
import io.ranker.core.Versions;
import io.ranker.pipeline.PipelineTracer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * OpenTelemetry spans for the ranking pipeline: one {@code ranker.rank} span per request, child of whatever span is
 * current (the HTTP server span Quarkus makes from the caller's {@code traceparent}), and one child span per stage,
 * made when the stage ends from the instants the pipeline measured anyway (so a stage costs no extra clock read and
 * its attributes are its outcome: candidate counts per source, model, policy and explorer versions, the degradations
 * that happened in it). The request's trace id goes into its {@link RankingContext}, hence into its impression
 * record. A request the sampler drops still gets its trace id but no stage span.
 */
public final class OtelPipelineTracer implements PipelineTracer {
    static final AttributeKey<String> SURFACE = AttributeKey.stringKey("ranker.surface");
    static final AttributeKey<String> IMPRESSION_ID = AttributeKey.stringKey("ranker.impression_id");
    static final AttributeKey<String> STAGE = AttributeKey.stringKey("ranker.stage");
    static final AttributeKey<String> PIPELINE_VERSION = AttributeKey.stringKey("ranker.pipeline.version");
    static final AttributeKey<String> FEATURES_VERSION = AttributeKey.stringKey("ranker.features.version");
    static final AttributeKey<String> MODEL_VERSION = AttributeKey.stringKey("ranker.model.version");
    static final AttributeKey<String> EXPERIMENT_ARM = AttributeKey.stringKey("ranker.experiment_arm");
    static final AttributeKey<String> POLICY_VERSION = AttributeKey.stringKey("ranker.policy.version");
    static final AttributeKey<String> EXPLORER = AttributeKey.stringKey("ranker.explorer");
    static final AttributeKey<List<String>> DEGRADED = AttributeKey.stringArrayKey("ranker.degraded");
    static final AttributeKey<Long> CANDIDATES = AttributeKey.longKey("ranker.candidates");
    static final String CANDIDATES_PER_SOURCE = "ranker.candidates.";
    /** Stages every ranking has; anything else the pipeline reports is one of its side effects. */
    private static final Set<String> STAGES = Set.of("retrieval", "features", "scoring", "policy", "explore");

    private final Tracer tracer;

    public OtelPipelineTracer(Tracer tracer) {
        this.tracer = tracer;
    }

    @Override
    public RequestTrace begin(RankingContext ctx) {
        // nanoTime -> epoch: the stages are timed with nanoTime, spans are stamped with wall-clock time
        long epochOffset = epochNanos(Instant.now()) - System.nanoTime();
        Span span = tracer.spanBuilder("ranker.rank")
                .setStartTimestamp(epochOffset + ctx.startNanos(), TimeUnit.NANOSECONDS)
                .setAttribute(SURFACE, ctx.request().surface())
                .setAttribute(IMPRESSION_ID, ctx.impressionId())
                .startSpan();
        if (!span.getSpanContext().isValid()) return RequestTrace.NONE; // tracing disabled (no-op SDK)
        ctx.setTraceId(span.getSpanContext().getTraceId());
        return new Request(ctx, span, span.makeCurrent(), epochOffset);
    }

    private static long epochNanos(Instant t) {
        return TimeUnit.SECONDS.toNanos(t.getEpochSecond()) + t.getNano();
    }

    private final class Request implements RequestTrace {
        private final RankingContext ctx;
        private final Span span;
        private final Scope scope;
        private final long epochOffset;
        private final boolean recording;
        private final Context parent;
        private List<String> sources;
        private List<Long> counts;
        private int degradedSeen;

        Request(RankingContext ctx, Span span, Scope scope, long epochOffset) {
            this.ctx = ctx;
            this.span = span;
            this.scope = scope;
            this.epochOffset = epochOffset;
            this.recording = span.isRecording();
            this.parent = Context.current();
        }

        @Override
        public void candidates(String source, int count) {
            if (!recording) return;
            if (sources == null) {
                sources = new ArrayList<>(4);
                counts = new ArrayList<>(4);
            }
            sources.add(source);
            counts.add((long) count);
        }

        @Override
        public void stage(String stage, long startNanos, long endNanos) {
            if (!recording) return;
            boolean core = STAGES.contains(stage);
            SpanBuilder b = tracer.spanBuilder(core ? "ranker." + stage : "ranker.side_effect." + stage)
                    .setParent(parent)
                    .setStartTimestamp(epochOffset + startNanos, TimeUnit.NANOSECONDS)
                    .setAttribute(STAGE, core ? stage : "side_effect");
            Versions v = ctx.versions();
            switch (stage) {
                case "retrieval" -> {
                    long total = 0;
                    if (sources != null) {
                        for (int i = 0; i < sources.size(); i++) {
                            b.setAttribute(CANDIDATES_PER_SOURCE + sources.get(i), counts.get(i));
                            total += counts.get(i);
                        }
                        sources = null;
                        counts = null;
                    }
                    b.setAttribute(CANDIDATES, total);
                    setIfPresent(b, PIPELINE_VERSION, v.pipeline());
                }
                case "features" -> setIfPresent(b, FEATURES_VERSION, v.features());
                case "scoring" -> {
                    setIfPresent(b, MODEL_VERSION, v.model());
                    setIfPresent(b, EXPERIMENT_ARM, ctx.experimentArm());
                }
                case "policy" -> setIfPresent(b, POLICY_VERSION, v.policy());
                case "explore" -> setIfPresent(b, EXPLORER, v.explorer());
                default -> {
                }
            }
            List<String> degraded = ctx.degraded();
            if (degraded.size() > degradedSeen) {
                b.setAttribute(DEGRADED, List.copyOf(degraded.subList(degradedSeen, degraded.size())));
                degradedSeen = degraded.size();
            }
            b.startSpan().end(epochOffset + endNanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public void end() {
            try {
                if (recording) {
                    Versions v = ctx.versions();
                    setIfPresent(span, PIPELINE_VERSION, v.pipeline());
                    setIfPresent(span, MODEL_VERSION, v.model());
                    setIfPresent(span, POLICY_VERSION, v.policy());
                    setIfPresent(span, EXPLORER, v.explorer());
                    setIfPresent(span, EXPERIMENT_ARM, ctx.experimentArm());
                    if (!ctx.degraded().isEmpty()) span.setAttribute(DEGRADED, List.copyOf(ctx.degraded()));
                }
                span.end();
            } finally {
                scope.close();
            }
        }
    }

    private static void setIfPresent(SpanBuilder b, AttributeKey<String> key, String value) {
        if (value != null) b.setAttribute(key, value);
    }

    private static void setIfPresent(Span s, AttributeKey<String> key, String value) {
        if (value != null) s.setAttribute(key, value);
    }
}
