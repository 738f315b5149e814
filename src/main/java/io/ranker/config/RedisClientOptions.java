package io.ranker.config;

import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisReplicas;

import java.util.List;

/**
 * The Vert.x Redis client options every Ranker client shares (features, online state, state store, catalog
 * changelog): the hosts of {@code quarkus.redis.hosts} (a bare host:port gets {@code redis://}), standalone or Cluster,
 * masters only (a replica may lag a write this replica just made), TCP no-delay and keep-alive. Each caller sets its
 * own pool sizes and protocol on the result.
 */
public final class RedisClientOptions {
    private RedisClientOptions() {
    }

    public static RedisOptions of(List<String> hosts, boolean cluster, int maxPoolSize, int maxPoolWaiting, int connectTimeoutMillis) {
        if (hosts.isEmpty()) throw new IllegalArgumentException("no Redis hosts configured (quarkus.redis.hosts)");
        RedisOptions options = new RedisOptions()
                .setType(cluster ? RedisClientType.CLUSTER : RedisClientType.STANDALONE)
                .setUseReplicas(RedisReplicas.NEVER)
                .setMaxPoolSize(maxPoolSize)
                .setMaxPoolWaiting(maxPoolWaiting)
                .setMaxWaitingHandlers(4096)
                .setNetClientOptions(new NetClientOptions().setConnectTimeout(connectTimeoutMillis).setTcpNoDelay(true).setTcpKeepAlive(true));
        for (String h : hosts) options.addConnectionString(h.contains("://") ? h : "redis://" + h);
        return options;
    }
}
