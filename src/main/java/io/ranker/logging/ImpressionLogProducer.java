package io.ranker.logging;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.ranker.config.RankingSettings;
import io.ranker.config.ReplicaId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.ranker.auth.ImpressionSigner;

import java.time.Clock;

/**
 * Builds the service's log from {@code ranking.log.*}: this replica's {@link SegmentImpressionLog} under
 * {@code <log root>/<replica id>/} (injectable as {@link ImpressionLog}, {@link FeedbackLog} or itself) with every
 * {@link LogSink} bean connected, and the optional Kafka copy; the {@link FeedbackService} with the shared
 * {@link FeedbackState} when there is one and every {@link FeedbackListener} bean connected.
 */
@ApplicationScoped
public class ImpressionLogProducer {
    private volatile KafkaLogSink kafka;

    @Produces
    @Singleton
    SegmentImpressionLog impressionLog(RankingSettings ranking, LogSettings settings, MeterRegistry registry,
                                       @Any Instance<LogSink> sinks) {
        String replica = ReplicaId.resolve(ranking.replicaId());
        SegmentImpressionLog log = new SegmentImpressionLog(settings.toConfig(ranking.dataDir(), replica), Clock.systemUTC(), registry);
        if (settings.kafka().enabled()) {
            kafka = KafkaLogSink.start(settings.kafka(), replica, registry);
            log.addSink(kafka);
        }
        sinks.forEach(log::addSink);
        return log;
    }

    void close(@Disposes SegmentImpressionLog log) {
        log.close(); // forces the active segment to disk on shutdown
        if (kafka != null) kafka.close(); // after the log: nothing is appended any more
    }

    @Produces
    @Singleton
    FeedbackService feedbackService(SegmentImpressionLog log, LogSettings settings, MeterRegistry registry,
                                    Instance<FeedbackState> shared, @Any Instance<FeedbackListener> listeners,
                                    ImpressionSigner signer) {
        FeedbackService service = new FeedbackService(log, settings.toRules(), Clock.systemUTC(), registry,
                shared.isResolvable() ? shared.get() : FeedbackState.NONE, settings.feedback().sharedBudget().toMillis());
        service.verifyImpressionIds(signer::authentic);
        listeners.forEach(service::addListener);
        return service;
    }

    /** Opens the log (and runs recovery) at startup rather than on the first request. */
    void onStart(@Observes StartupEvent ev, SegmentImpressionLog log) {
        log.healthy();
    }
}
