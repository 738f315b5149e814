package io.ranker.logging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.ranker.core.DomainException;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Accepts feedback: validates it, drops retried events (same {@code eventId} within this replica's dedupe window,
 * then across replicas through the shared {@link FeedbackState}), appends it durably to the log, and then, when it
 * refers to an item of an impression that was served ({@link #servedImpression}), tells the
 * {@link FeedbackListener}s (real-time counters). Feedback on an impression nobody can vouch for is logged (the
 * offline join decides about it) but counts nowhere in real time.
 * <p>An event whose impression id fails {@link #verifyImpressionIds the authenticity check} (made up or altered; the
 * service signs the ids it serves) is logged too, for audit and the offline join, and counted in
 * {@code ranker.feedback.unverified}, but no listener (click counters, seen history) ever hears of it.
 */
public final class FeedbackService {
    private static final Logger LOG = Logger.getLogger(FeedbackService.class);

    /** What {@code POST /v1/feedback} answers with its 202. */
    public record Accepted(String impressionId, String itemId, String type, String eventId, boolean duplicate,
                           boolean impressionKnown) {
    }

    private final FeedbackLog log;
    private final FeedbackParser parser;
    private final Clock clock;
    private final MeterRegistry registry;
    private final FeedbackState shared;
    private final long lookupBudgetMillis;
    private final Map<String, Boolean> seenEventIds;
    private final List<FeedbackListener> listeners = new CopyOnWriteArrayList<>();
    private volatile Predicate<String> authentic = id -> true;
    private final Counter duplicates;
    private final Counter unknownImpressions;
    private final Counter itemNotShown;
    private final Counter unavailable;
    private final Counter listenerFailures;

    public FeedbackService(FeedbackLog log, FeedbackRules rules, Clock clock, MeterRegistry registry) {
        this(log, rules, clock, registry, FeedbackState.NONE, 0);
    }

    /**
     * @param shared             dedupe and served impressions across replicas ({@link FeedbackState#NONE}: this replica only)
     * @param lookupBudgetMillis how long a submission waits for the shared store to say whether an impression was served
     */
    public FeedbackService(FeedbackLog log, FeedbackRules rules, Clock clock, MeterRegistry registry, FeedbackState shared,
                           long lookupBudgetMillis) {
        this.log = log;
        this.parser = new FeedbackParser(rules);
        this.clock = clock;
        this.registry = registry;
        this.shared = shared;
        this.lookupBudgetMillis = lookupBudgetMillis;
        int window = rules.dedupeWindow();
        this.seenEventIds = new LinkedHashMap<>(Math.min(window, 1 << 16), 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > window;
            }
        };
        for (String id : log.recentEventIds()) seenEventIds.put(id, Boolean.TRUE);
        duplicates = registry.counter("ranker.feedback.duplicates");
        unknownImpressions = registry.counter("ranker.feedback.unknown.impressions");
        itemNotShown = registry.counter("ranker.feedback.unshown.items");
        unavailable = registry.counter("ranker.feedback.unavailable");
        listenerFailures = registry.counter("ranker.feedback.listener.failures");
    }

    public void addListener(FeedbackListener listener) {
        listeners.add(listener);
    }

    /** Only events whose impression id passes {@code check} reach the listeners (the default trusts every id). */
    public void verifyImpressionIds(Predicate<String> check) {
        this.authentic = check;
    }

    /**
     * @throws DomainException 400 naming the bad fields; 503 when the log cannot store it (retry later)
     */
    public Accepted submit(byte[] body) {
        FeedbackEvent event;
        try {
            event = parser.parse(body, clock.millis());
        } catch (DomainException e) {
            registry.counter("ranker.feedback.rejected").increment();
            throw e;
        }
        return submit(event);
    }

    /** For events that are already validated (e.g. from a batch or a test). */
    public Accepted submit(FeedbackEvent event) {
        String eventId = event.eventId();
        // the shared lookup runs while the event is deduped and appended: one round trip at most on the way
        RecentImpression local = log.recentImpression(event.impressionId());
        CompletableFuture<RecentImpression> lookup = local != null ? CompletableFuture.completedFuture(local)
                : shared.lookupServed(event.impressionId());
        if (eventId != null && !reserve(eventId)) {
            duplicates.increment();
            return new Accepted(event.impressionId(), event.itemId(), event.type(), eventId, true, await(lookup) != null);
        }
        if (!log.append(event)) {
            if (eventId != null) release(eventId); // not stored: a retry must not be taken for a duplicate
            unavailable.increment();
            throw new DomainException(DomainException.Kind.UNAVAILABLE, "Service unavailable",
                    "The feedback log cannot store events right now; retry later with the same eventId");
        }
        registry.counter("ranker.feedback.accepted", "type", event.type()).increment();
        if (!authentic.test(event.impressionId())) {
            registry.counter("ranker.feedback.unverified").increment();
            return new Accepted(event.impressionId(), event.itemId(), event.type(), eventId, false, false);
        }
        RecentImpression impression = await(lookup);
        int position = servedImpression(event, impression);
        if (position > 0) {
            for (FeedbackListener l : listeners) {
                try {
                    l.onFeedback(event, impression, position);
                } catch (RuntimeException e) {
                    listenerFailures.increment();
                    LOG.warn("feedback listener " + l.getClass().getName() + " failed: " + e);
                }
            }
        }
        return new Accepted(event.impressionId(), event.itemId(), event.type(), eventId, false, impression != null);
    }

    /**
     * The one place that decides whether feedback may count in real time: it must name an item of an impression that
     * a replica served (this replica's join window or the shared served-impression markers). Checks of the impression
     * id itself (e.g. a signature) belong here too.
     *
     * @return the item's 1-based position in that impression, 0 when the feedback must not count
     */
    private int servedImpression(FeedbackEvent event, RecentImpression impression) {
        if (impression == null) {
            unknownImpressions.increment();
            return 0;
        }
        int position = impression.positionOf(event.itemId());
        if (position == 0) itemNotShown.increment();
        return position;
    }

    private RecentImpression await(CompletableFuture<RecentImpression> lookup) {
        if (lookup.isDone()) return lookup.getNow(null);
        try {
            return lookup.get(lookupBudgetMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception e) {
            registry.counter("ranker.feedback.lookup.failures").increment();
            return null;
        }
    }

    /** This replica's window first (a retry to the same replica costs nothing), then the replicas' shared one. */
    private boolean reserve(String eventId) {
        synchronized (seenEventIds) {
            if (seenEventIds.putIfAbsent(eventId, Boolean.TRUE) != null) return false;
        }
        return shared.claim(eventId); // when another replica claimed it, it stays in this window too
    }

    private void release(String eventId) {
        synchronized (seenEventIds) {
            seenEventIds.remove(eventId);
        }
        shared.release(eventId);
    }
}
