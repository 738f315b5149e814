package io.ranker.cli;

import io.ranker.catalog.changelog.CatalogReplication;
import io.ranker.catalog.changelog.RedisChangelog;
import picocli.CommandLine.Option;

import java.time.Duration;

/** The Redis of the shared catalog, for commands: the same settings as the service's, from options or the environment. */
final class RedisTarget {
    @Option(names = "--redis", defaultValue = "${env:QUARKUS_REDIS_HOSTS}",
            description = "host:port or redis:// URIs, comma-separated (default: $QUARKUS_REDIS_HOSTS)")
    String hosts;

    @Option(names = "--cluster", description = "the hosts are a Redis Cluster (default: $QUARKUS_REDIS_CLIENT_TYPE=cluster)")
    boolean cluster;

    @Option(names = "--key-prefix", defaultValue = "${env:RANKING_STATE_REDIS_KEY_PREFIX:-ranker}",
            description = "ranking.state.redis.key-prefix of the service (default: ${DEFAULT-VALUE})")
    String keyPrefix;

    boolean configured() {
        return hosts != null && !hosts.isBlank();
    }

    RedisChangelog open() {
        boolean isCluster = cluster || "cluster".equalsIgnoreCase(System.getenv("QUARKUS_REDIS_CLIENT_TYPE"));
        return RedisChangelog.standalone(CatalogReplication.parseHosts(hosts), isCluster, keyPrefix, Duration.ofSeconds(10));
    }
}
