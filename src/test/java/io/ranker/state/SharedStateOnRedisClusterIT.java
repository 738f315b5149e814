package io.ranker.state;

import io.ranker.testing.ServiceCluster;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link SharedStateContract} on three service JVMs sharing a real 3-master Redis Cluster (one hash slot per CAS). */
class SharedStateOnRedisClusterIT extends SharedStateContract {
    @RegisterExtension
    static final ServiceCluster cluster = ServiceCluster.builder().replicas(3).redisCluster(3).build();

    @Override
    ServiceCluster cluster() {
        return cluster;
    }
}
