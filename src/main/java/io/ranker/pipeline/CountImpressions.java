package io.ranker.pipeline;

import io.ranker.core.Candidate;
import io.ranker.core.RankResult;
import io.ranker.features.FeedbackCounters;

import java.util.ArrayList;
import java.util.List;

/**
 * One impression on each shown item's real-time counters (the {@code counter:*} features, such as {@code ctr_rt}).
 * The update is asynchronous and never blocks the request; a store that fails it is counted by
 * {@link FeedbackCounters} itself.
 */
public final class CountImpressions implements SideEffect {
    private final FeedbackCounters counters;

    public CountImpressions(FeedbackCounters counters) {
        this.counters = counters;
    }

    @Override
    public String name() {
        return "counters";
    }

    @Override
    public boolean apply(RankResult result) {
        List<Candidate> shown = result.exploration().shown();
        List<String> ids = new ArrayList<>(shown.size());
        for (Candidate c : shown) ids.add(c.id());
        counters.onImpression(ids);
        return true;
    }
}
