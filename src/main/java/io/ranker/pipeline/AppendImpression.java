package io.ranker.pipeline;

import io.ranker.core.RankResult;
import io.ranker.logging.ImpressionLog;

/**
 * The durable append of the impression record (with, for a sampled share, the candidate set replay needs), first
 * of the service's side effects: the record is written at least to the OS before the response returns. A failing
 * log serves the request anyway and names it {@code log:unavailable} (ARCHITECTURE.md: never silent).
 */
public final class AppendImpression implements SideEffect {
    /** Timed under the stage name the dashboards and load tests have always read. */
    public static final String NAME = "logging";

    private final ImpressionLog log;
    private final ImpressionRecordBuilder records;

    public AppendImpression(ImpressionLog log, ImpressionRecordBuilder records) {
        this.log = log;
        this.records = records;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean apply(RankResult result) {
        return log.append(records.build(result));
    }

    @Override
    public String degradation() {
        return "log:unavailable";
    }
}
