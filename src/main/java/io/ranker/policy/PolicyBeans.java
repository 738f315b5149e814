package io.ranker.policy;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.DefaultBean;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.ranker.config.RankingSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;

/**
 * CDI wiring of the policy stage: the {@link PolicyRegistry} (loaded at startup from the {@link PolicyVersionStore}
 * that the state configuration provides: local files or the shared store), a default in-memory
 * {@link SeenItems} (the feature stage replaces it with one in Redis when the features are there), and the periodic
 * hot reload of {@code <config-dir>/policies/*.yaml}.
 */
@ApplicationScoped
public class PolicyBeans {

    @Produces
    @Singleton
    PolicyRegistry registry(RankingSettings settings, PolicySettings policy, SeenItems seen, PolicyVersionStore store,
                            Instance<KnownAttributes> known, Instance<KnownSurfaces> surfaces, MeterRegistry meters) {
        Set<String> configured = policy.knownAttributes().map(Set::copyOf).orElse(Set.of());
        KnownAttributes names = known.isResolvable() ? known.get() : () -> configured;
        KnownSurfaces surfaceNames = surfaces.isResolvable() ? surfaces.get() : Set::of;
        PolicyRegistry registry = new PolicyRegistry(
                Path.of(settings.configDir(), "policies"),
                store,
                () -> new ValidationLimits(names.names(), policy.maxListSize(), surfaceNames.names()),
                seen, Clock.systemUTC(), meters);
        registry.start();
        return registry;
    }

    @Produces
    @Singleton
    @DefaultBean
    SeenItems seenItems(PolicySettings policy) {
        return new InMemorySeenItems(policy.seenMaxPerUser(), policy.seenMaxEvents(), InMemorySeenItems.DEFAULT_IDLE);
    }

    void onStart(@Observes StartupEvent ev, PolicyRegistry registry) {
        registry.liveSurfaces(); // load the live rule sets before the first request
    }

    /** Hot reload of the rule files. */
    @ApplicationScoped
    public static class Reloader {
        private final PolicyRegistry registry;

        public Reloader(PolicyRegistry registry) {
            this.registry = registry;
        }

        @Scheduled(every = "${ranking.policy.reload-interval:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
        void reload() {
            registry.reloadChangedFiles();
        }
    }
}
