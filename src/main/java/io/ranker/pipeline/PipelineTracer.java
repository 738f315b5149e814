package io.ranker.pipeline;

import io.ranker.core.RankingContext;

/**
 * Where {@link RankingPipeline} reports a request's stage boundaries for tracing. The pipeline already times every
 * stage for {@link StageMetrics}; it hands the same start and end instants here, so a tracer makes its spans after
 * the fact with those timestamps and the stage's outcome (candidate counts, versions, degradations) as attributes.
 * {@link #NONE}, the default, allocates nothing: replay, simulation and the demo training pay nothing for tracing.
 */
public interface PipelineTracer {
    /** Traces nothing. */
    PipelineTracer NONE = ctx -> RequestTrace.NONE;

    /** A request starts ranking (its context was just made); the returned handle receives its stages. */
    RequestTrace begin(RankingContext ctx);

    /** One request's trace. Not shared between threads: the pipeline calls it from the request's thread. */
    interface RequestTrace {
        RequestTrace NONE = new RequestTrace() {
            @Override
            public void candidates(String source, int count) {
            }

            @Override
            public void stage(String stage, long startNanos, long endNanos) {
            }

            @Override
            public void end() {
            }
        };

        /** Candidates one retrieval source returned (before the retrieval stage ends). */
        void candidates(String source, int count);

        /** A stage ran from {@code startNanos} to {@code endNanos} ({@link System#nanoTime()}). */
        void stage(String stage, long startNanos, long endNanos);

        /** The request is ranked (side effects included): ends its trace. Called once, also when a stage threw. */
        void end();
    }
}
