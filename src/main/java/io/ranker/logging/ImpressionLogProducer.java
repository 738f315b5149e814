package io.ranker.logging;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.ranker.config.RankingSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/**
 * Builds the service's log from {@code ranking.log.*}: one {@link SegmentImpressionLog} (injectable as
 * {@link ImpressionLog}, {@link FeedbackLog} or itself), the {@link FeedbackService} with every
 * {@link FeedbackListener} bean connected.
 */
@ApplicationScoped
public class ImpressionLogProducer {

    @Produces
    @Singleton
    SegmentImpressionLog impressionLog(RankingSettings ranking, LogSettings settings, MeterRegistry registry) {
        return new SegmentImpressionLog(settings.toConfig(ranking.dataDir()), Clock.systemUTC(), registry);
    }

    void close(@Disposes SegmentImpressionLog log) {
        log.close(); // forces the active segment to disk on shutdown
    }

    @Produces
    @Singleton
    FeedbackService feedbackService(SegmentImpressionLog log, LogSettings settings, MeterRegistry registry,
                                    @Any Instance<FeedbackListener> listeners) {
        FeedbackService service = new FeedbackService(log, settings.toRules(), Clock.systemUTC(), registry);
        listeners.forEach(service::addListener);
        return service;
    }

    /** Opens the log (and runs recovery) at startup rather than on the first request. */
    void onStart(@Observes StartupEvent ev, SegmentImpressionLog log) {
        log.healthy();
    }
}
