package io.ranker.catalog.changelog;

import io.ranker.catalog.CatalogDigest;
import io.ranker.catalog.CatalogIndex;
import io.ranker.catalog.CatalogWriter;
import io.ranker.testing.RedisServerHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.ranker.catalog.changelog.ChangelogApplierTest.item;
import static org.assertj.core.api.Assertions.assertThat;

/** On a real 3-master Redis Cluster the changelog is one key (one slot): appends, tail reads and the head work there too. */
class SharedCatalogRedisClusterTest {
    @TempDir
    Path dir;

    @Test
    void twoReplicasFollowTheChangelogOnARedisCluster() throws Exception {
        try (RedisServerHarness cluster = RedisServerHarness.cluster(3);
             RedisChangelog logA = RedisChangelog.standalone(cluster.hostList(), true, "rc", Duration.ofSeconds(2));
             RedisChangelog logB = RedisChangelog.standalone(cluster.hostList(), true, "rc", Duration.ofSeconds(2));
             CatalogIndex a = new CatalogIndex(dir.resolve("a"), ChangelogApplierTest.DIM, "cosine", 100);
             CatalogIndex b = new CatalogIndex(dir.resolve("b"), ChangelogApplierTest.DIM, "cosine", 100);
             ChangelogTailer ta = new ChangelogTailer(logA, a, new ChangelogApplier(a, ChangelogPosition.start(null)), "cosine", SharedCatalogRedisTest.FAST).start();
             ChangelogTailer tb = new ChangelogTailer(logB, b, new ChangelogApplier(b, ChangelogPosition.start(null)), "cosine", SharedCatalogRedisTest.FAST).start()) {
            ChangelogWriter wa = new ChangelogWriter(logA, ta, "a"), wb = new ChangelogWriter(logB, tb, "b");
            CatalogWriter.Ack last = null;
            for (int i = 0; i < 20; i++) last = (i % 2 == 0 ? wa : wb).upsert(List.of(item("k" + (i % 7), "v" + i, i)));
            assertThat(wb.delete("k0", Duration.ofSeconds(5)).existed()).isTrue();
            assertThat(wa.awaitVisible(last, Duration.ofSeconds(10))).isTrue();
            SharedCatalogRedisTest.awaitTrue(() -> ta.lagEntries() == 0 && tb.lagEntries() == 0 && ta.head() != null && ta.head().entriesAdded() == 21,
                    "both at the head");
            SharedCatalogRedisTest.awaitTrue(() -> CatalogDigest.of(a.items()).equals(CatalogDigest.of(b.items())), "same catalog");
            assertThat(a.size()).isEqualTo(6);
            assertThat(logA.trim(StreamId.parse(last.position()))).isEqualTo(19);
        }
    }
}
