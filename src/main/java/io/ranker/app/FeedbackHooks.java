package io.ranker.app;

import io.ranker.features.FeedbackCounters;
import io.ranker.logging.FeedbackEvent;
import io.ranker.logging.FeedbackListener;
import io.ranker.logging.RecentImpression;
import io.ranker.policy.SeenItems;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What durable feedback updates in the serving state: the item's real-time click counters (a feature) and,
 * for clicks, the user's seen history (the exclude-seen rule). Called after the event is logged, once per
 * event id, and only for an item of an impression that was served (FeedbackService decides).
 */
@ApplicationScoped
public class FeedbackHooks implements FeedbackListener {
    private final FeedbackCounters counters;
    private final SeenItems seen;

    public FeedbackHooks(FeedbackCounters counters, SeenItems seen) {
        this.counters = counters;
        this.seen = seen;
    }

    @Override
    public void onFeedback(FeedbackEvent event, RecentImpression impression, int position) {
        counters.onFeedback(event.itemId(), event.type());
        if (impression.userId() != null && "click".equals(event.type())) {
            seen.record(impression.userId(), event.itemId(), "clicked", event.timestamp());
        }
    }
}
