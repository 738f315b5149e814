package io.ranker.state;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.ranker.config.RankingSettings;
import io.ranker.config.StateSettings;
import io.ranker.explore.ExplorationControl;
import io.ranker.explore.FileSwitchStore;
import io.ranker.explore.SwitchStore;
import io.ranker.policy.FilePolicyVersionStore;
import io.ranker.policy.PolicyRegistry;
import io.ranker.policy.PolicyVersionStore;
import io.ranker.replay.FileJobStore;
import io.ranker.replay.JobStore;
import io.ranker.replay.ReplaySettings;
import io.ranker.scoring.ModelStores;
import io.ranker.scoring.ScoringService;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;

/**
 * The state store chosen by {@code ranking.state.store} and its CDI wiring: each stage's store (policy versions, model
 * routing and artifacts, exploration switches, replay jobs, once-per-cluster work) as files under the data directory
 * ({@code local}) or in the shared Redis ({@code redis}); with Redis, the {@link StateWatcher} that keeps this replica
 * following the others, started once the stages have loaded. Stages know only their own store interfaces.
 */
@ApplicationScoped
public class StateComponents {
    private static final Logger LOG = Logger.getLogger(StateComponents.class);

    private final StateSettings settings;
    private final RankingSettings ranking;
    private final boolean shared;
    private final RedisStateClient redis;
    private final StateKeys keys;
    private final String replica;
    private StateWatcher watcher;
    private RedisJobStore jobs;

    public StateComponents(StateSettings settings, RankingSettings ranking, Instance<Vertx> vertx) {
        this.settings = settings;
        this.ranking = ranking;
        String kind = settings.store().trim().toLowerCase(Locale.ROOT);
        if (!kind.equals("local") && !kind.equals("redis")) {
            throw new IllegalStateException("ranking.state.store must be 'local' or 'redis', not '" + settings.store() + "'");
        }
        this.shared = kind.equals("redis");
        // the same id as the replica's impression log directory and records (validated; default the host name)
        this.replica = io.ranker.config.ReplicaId.resolve(ranking.replicaId());
        if (shared) {
            String hosts = ConfigProvider.getConfig().getOptionalValue("quarkus.redis.hosts", String.class)
                    .orElseThrow(() -> new IllegalStateException(
                            "ranking.state.store=redis needs quarkus.redis.hosts (QUARKUS_REDIS_HOSTS), e.g. redis://localhost:6379"));
            boolean cluster = ConfigProvider.getConfig().getOptionalValue("quarkus.redis.client-type", String.class)
                    .map(t -> t.equalsIgnoreCase("cluster")).orElse(false);
            this.keys = new StateKeys(settings.redis().keyPrefix());
            this.redis = new RedisStateClient(vertx.get(), parseHosts(hosts), cluster, settings.redis().timeout());
            LOG.infof("state store: redis %s %s, keys %s*, replica %s", cluster ? "cluster" : "standalone", redis.hosts(),
                    keys.prefix(), replica);
        } else {
            this.keys = null;
            this.redis = null;
            LOG.infof("state store: local files under %s", Path.of(ranking.dataDir()).toAbsolutePath());
            try {
                this.localLock = LocalStateLock.tryAcquire(Path.of(ranking.dataDir())).orElse(null);
                if (localLock == null) {
                    LOG.warnf("another process holds %s/state.lock: two services on one data directory overwrite each other's state",
                            ranking.dataDir());
                }
            } catch (java.io.IOException e) {
                LOG.warnf("cannot lock %s/state.lock: %s", ranking.dataDir(), e.getMessage());
            }
        }
    }

    private LocalStateLock localLock;

    static List<String> parseHosts(String csv) {
        return java.util.Arrays.stream(csv.split(",")).map(String::trim).filter(h -> !h.isEmpty())
                .map(h -> h.contains("://") ? h : "redis://" + h).toList();
    }

    public boolean shared() { return shared; }

    public String replica() { return replica; }

    /** The watcher (null in local mode or before start). */
    public StateWatcher watcher() { return watcher; }

    private Path dataDir() {
        return Path.of(ranking.dataDir());
    }

    @Produces
    @Singleton
    PolicyVersionStore policyVersionStore() {
        return shared ? new RedisPolicyVersionStore(redis, keys) : new FilePolicyVersionStore(dataDir().resolve("policies"));
    }

    @Produces
    @Singleton
    ModelStores modelStores() {
        if (!shared) return ModelStores.local(Clock.systemUTC());
        RedisModelAudit audit = new RedisModelAudit(redis, keys, Clock.systemUTC(), replica);
        RedisRoutingStore routing = new RedisRoutingStore(redis, keys, audit);
        RedisModelArtifacts artifacts = new RedisModelArtifacts(redis, keys, settings.redis().chunkBytes());
        return new ModelStores() {
            @Override
            public io.ranker.scoring.RoutingStore routing(Path modelsDir) {
                return routing;
            }

            @Override
            public io.ranker.scoring.ModelArtifacts artifacts() {
                return artifacts;
            }
        };
    }

    @Produces
    @Singleton
    SwitchStore switchStore() {
        return shared ? new RedisSwitchStore(redis, keys, Clock.systemUTC()) : new FileSwitchStore(dataDir().resolve("exploration"), Clock.systemUTC());
    }

    @Produces
    @Singleton
    JobStore jobStore(ReplaySettings replay) {
        if (!shared) return new FileJobStore(dataDir().resolve("replay"));
        jobs = new RedisJobStore(redis, keys, replay.resultTtl());
        return jobs;
    }

    @Produces
    @Singleton
    OncePerCluster oncePerCluster() {
        return shared ? new RedisOncePerCluster(redis, keys, settings.redis().seedWait()) : OncePerCluster.LOCAL;
    }

    /** After the stages loaded (the runtime's start): follow the shared store. */
    void onStart(@Observes @Priority(5000) StartupEvent ev, PolicyRegistry policies, ScoringService scoring,
                 ExplorationControl exploration, MeterRegistry meters) {
        if (!shared) return;
        Gauge.builder("ranker.state.staleness.seconds", this, StateComponents::stalenessSeconds)
                .description("seconds since this replica last checked the shared state store successfully")
                .register(meters);
        watcher = new StateWatcher(redis, keys, settings.redis().checkInterval())
                .register(new StateWatcher.Kind(RedisPolicyVersionStore.KIND, policies::sync, () -> true))
                .register(new StateWatcher.Kind(RedisRoutingStore.KIND, scoring::sync, scoring::started))
                .register(new StateWatcher.Kind(RedisSwitchStore.KIND, exploration::sync, () -> true));
        watcher.start();
    }

    double stalenessSeconds() {
        StateWatcher w = watcher;
        return w == null ? 0 : w.stalenessSeconds();
    }

    void onStop(@Observes ShutdownEvent ev) {
        if (watcher != null) watcher.close();
        if (jobs != null) jobs.close();
        if (redis != null) redis.close();
        if (localLock != null) {
            try {
                localLock.close();
            } catch (java.io.IOException e) {
                // released with the process anyway
            }
        }
    }
}
