package io.ranker.pipeline;

import io.ranker.core.Candidate;
import io.ranker.core.RankResult;
import io.ranker.policy.SeenItems;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Records the shown items in the user's seen history ({@code shown} events), which {@code exclude_seen} rules read on
 * the user's next requests. Anonymous requests (no user id) have no history.
 */
public final class RecordSeenItems implements SideEffect {
    private final SeenItems seen;
    private final LongSupplier clock;

    public RecordSeenItems(SeenItems seen) {
        this(seen, System::currentTimeMillis);
    }

    public RecordSeenItems(SeenItems seen, LongSupplier clockMillis) {
        this.seen = seen;
        this.clock = clockMillis;
    }

    @Override
    public String name() {
        return "seen-history";
    }

    @Override
    public boolean apply(RankResult result) {
        String user = result.context().request().userId();
        if (user == null) return true;
        List<Candidate> shown = result.exploration().shown();
        List<String> ids = new ArrayList<>(shown.size());
        for (Candidate c : shown) ids.add(c.id());
        seen.recordAll(user, ids, "shown", clock.getAsLong());
        return true;
    }
}
