package io.ranker.catalog;

import io.ranker.testing.RankerClient;
import io.ranker.testing.ServiceCluster;
import io.ranker.testing.ServiceProcess;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13's first acceptance check, written before the work: three replicas share one redis-server; an item
 * written with {@code PUT /v1/items} through replica A is found by a search on B and C within one second of A's
 * acknowledgement. Today each replica indexes only the writes it receives, so B and C never find it and this fails.
 */
@Disabled("issue 13: catalog changelog not built yet")
class SharedCatalogIT {
    @RegisterExtension
    static final ServiceCluster cluster = ServiceCluster.builder().replicas(3).redisStandalone().build();

    /** How late another replica may serve what one acknowledged (ARCHITECTURE.md, scale-out contract). */
    static final long PROPAGATION_MILLIS = 1_000;

    @Test
    void anItemWrittenOnAIsSearchableOnBAndCWithinOneSecond() throws Exception {
        ServiceProcess a = cluster.replica(0);
        // a word no demo item has, so a search for it finds this item or nothing of the demo
        String word = "zorblax" + UUID.randomUUID().toString().substring(0, 8);
        String id = "it-" + word;
        assertThat(found(a, word, id)).as("no demo item matches the new word").isFalse();

        a.client().putItems("[{\"id\":\"" + id + "\",\"title\":\"" + word + " desk lamp\",\"attributes\":"
                + "{\"brand\":\"acme\",\"price\":12.5,\"in_stock\":true}}]").expect(200);
        long acknowledged = System.nanoTime();

        List<ServiceProcess> all = cluster.replicas();
        for (ServiceProcess r : all) {
            long millis = awaitFound(r, word, id, acknowledged);
            System.out.printf("SharedCatalogIT: %s found %s %d ms after %s acknowledged it%n", r, id, millis, a);
        }
    }

    /**
     * Searches on the replica until the item is in the results; the search that finds it must have been sent
     * within {@link #PROPAGATION_MILLIS} of the acknowledgement.
     */
    static long awaitFound(ServiceProcess replica, String word, String id, long acknowledgedNanos) throws InterruptedException {
        while (true) {
            long sent = System.nanoTime();
            long millis = (sent - acknowledgedNanos) / 1_000_000;
            if (millis > PROPAGATION_MILLIS) {
                throw new AssertionError(replica + " does not find item " + id + " " + millis + " ms after its write was acknowledged"
                        + " (must be within " + PROPAGATION_MILLIS + " ms)");
            }
            if (found(replica, word, id)) return millis;
            Thread.sleep(20);
        }
    }

    static boolean found(ServiceProcess replica, String word, String id) {
        List<String> ids = RankerClient.itemIds(replica.client().rank("search", "u1", word, 5));
        return ids.contains(id);
    }
}
