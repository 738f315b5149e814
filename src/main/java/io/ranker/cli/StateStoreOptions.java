package io.ranker.cli;

import io.ranker.core.DomainException;
import io.ranker.state.RedisStateClient;
import io.ranker.state.StateKeys;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Where a command finds the service's state store: the service's own settings, read from the same environment
 * variables by default ({@code RANKING_STATE_STORE}, {@code QUARKUS_REDIS_HOSTS}, {@code QUARKUS_REDIS_CLIENT_TYPE},
 * {@code RANKING_STATE_REDIS_KEY_PREFIX}), so a command run next to a replica sees what the replicas serve.
 */
public class StateStoreOptions {
    @Option(names = "--store", defaultValue = "${env:RANKING_STATE_STORE:-local}",
            description = "State store: local or redis (default: $RANKING_STATE_STORE, else local)")
    String store;

    @Option(names = "--redis-hosts", defaultValue = "${env:QUARKUS_REDIS_HOSTS}",
            description = "redis store: redis://host:port,... (default: $QUARKUS_REDIS_HOSTS)")
    String redisHosts;

    @Option(names = "--redis-cluster", defaultValue = "${env:QUARKUS_REDIS_CLIENT_TYPE:-standalone}",
            description = "redis store: 'cluster' for a Redis Cluster (default: $QUARKUS_REDIS_CLIENT_TYPE)")
    String clientType;

    @Option(names = "--key-prefix", defaultValue = "${env:RANKING_STATE_REDIS_KEY_PREFIX:-ranker}",
            description = "redis store: the key prefix the service uses (default: $RANKING_STATE_REDIS_KEY_PREFIX, else ranker)")
    String keyPrefix;

    public boolean shared() {
        if (store.equalsIgnoreCase("redis")) return true;
        if (store.equalsIgnoreCase("local")) return false;
        throw new DomainException(DomainException.Kind.INVALID, "Bad option", "--store must be local or redis, not '" + store + "'");
    }

    public RedisStateClient redis() {
        if (redisHosts == null || redisHosts.isBlank()) {
            throw new DomainException(DomainException.Kind.INVALID, "Bad option", "--store redis needs --redis-hosts (or QUARKUS_REDIS_HOSTS)");
        }
        List<String> hosts = Arrays.stream(redisHosts.split(",")).map(String::trim).filter(h -> !h.isEmpty())
                .map(h -> h.contains("://") ? h : "redis://" + h).toList();
        return RedisStateClient.standalone(hosts, clientType.equalsIgnoreCase("cluster"), Duration.ofSeconds(5));
    }

    public StateKeys keys() {
        return new StateKeys(keyPrefix);
    }
}
