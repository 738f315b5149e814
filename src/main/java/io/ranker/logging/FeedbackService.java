package io.ranker.logging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.ranker.core.DomainException;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * Accepts feedback: validates it, drops retried events (same {@code eventId} within the dedupe window),
 * appends it durably to the log, joins it to a recent impression when this replica served it, and then
 * tells the {@link FeedbackListener}s. Unknown impression ids are counted and still accepted: the
 * impression may have been served by another replica.
 * <p>This is also the one place that decides whether feedback may move real-time state: an event whose impression
 * id fails {@link #verifyImpressionIds the authenticity check} (made up or altered; the service signs the ids it
 * serves) is logged, for audit and the offline join, and counted in {@code ranker.feedback.unverified}, but no
 * listener (click counters, seen history) ever hears of it.
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
    private final Map<String, Boolean> seenEventIds;
    private final List<FeedbackListener> listeners = new CopyOnWriteArrayList<>();
    private volatile Predicate<String> authentic = id -> true;
    private final Counter duplicates;
    private final Counter unknownImpressions;
    private final Counter unavailable;
    private final Counter listenerFailures;

    public FeedbackService(FeedbackLog log, FeedbackRules rules, Clock clock, MeterRegistry registry) {
        this.log = log;
        this.parser = new FeedbackParser(rules);
        this.clock = clock;
        this.registry = registry;
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
        if (eventId != null && !reserve(eventId)) {
            duplicates.increment();
            return new Accepted(event.impressionId(), event.itemId(), event.type(), eventId, true,
                    log.recentImpression(event.impressionId()) != null);
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
        RecentImpression impression = log.recentImpression(event.impressionId());
        if (impression == null) unknownImpressions.increment();
        int position = impression == null ? 0 : impression.positionOf(event.itemId());
        for (FeedbackListener l : listeners) {
            try {
                l.onFeedback(event, impression, position);
            } catch (RuntimeException e) {
                listenerFailures.increment();
                LOG.warn("feedback listener " + l.getClass().getName() + " failed: " + e);
            }
        }
        return new Accepted(event.impressionId(), event.itemId(), event.type(), eventId, false, impression != null);
    }

    private boolean reserve(String eventId) {
        synchronized (seenEventIds) {
            return seenEventIds.putIfAbsent(eventId, Boolean.TRUE) == null;
        }
    }

    private void release(String eventId) {
        synchronized (seenEventIds) {
            seenEventIds.remove(eventId);
        }
    }
}
