package io.ranker.catalog.changelog;

import io.ranker.catalog.CatalogDigest;
import io.ranker.catalog.CatalogIndex;
import io.ranker.catalog.CatalogUnavailableException;
import io.ranker.catalog.CatalogWriter;
import io.ranker.core.Item;
import io.ranker.testing.RedisServerHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.ranker.catalog.changelog.ChangelogApplierTest.item;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The changelog against a real redis-server, in one JVM: two "replicas" (an index and a tailer each) follow one
 * stream; writes through either end in the same catalog on both; snapshots bootstrap a third; trimming, a foreign
 * epoch and a paused Redis are handled as documented.
 */
class SharedCatalogRedisTest {
    static RedisServerHarness redis;
    static final ChangelogTailer.Settings FAST = new ChangelogTailer.Settings(1000, Duration.ofMillis(200), Duration.ofMillis(300),
            Duration.ofMillis(200), Duration.ofSeconds(5), 1000, Duration.ofSeconds(60));

    @TempDir
    Path dir;
    final List<AutoCloseable> open = new ArrayList<>();
    String prefix;

    @BeforeAll
    static void startRedis() {
        redis = RedisServerHarness.standalone();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
    }

    RedisChangelog changelog() {
        if (prefix == null) prefix = "t" + UUID.randomUUID().toString().substring(0, 8);
        RedisChangelog log = RedisChangelog.standalone(List.of(redis.hosts().split(",")), false, prefix, Duration.ofSeconds(1));
        open.add(log);
        return log;
    }

    /** One replica: its own index and tailer, and a writer into the shared changelog. */
    record Replica(CatalogIndex index, ChangelogTailer tailer, ChangelogWriter writer) {
        CatalogDigest digest() { return CatalogDigest.of(index.items()); }
    }

    Replica replica(String name) throws Exception {
        RedisChangelog log = changelog();
        CatalogIndex index = new CatalogIndex(dir.resolve(name), ChangelogApplierTest.DIM, "cosine", 100);
        open.add(index);
        ChangelogPosition p = ChangelogPosition.fromCommitData(index.commitData());
        ChangelogTailer tailer = new ChangelogTailer(log, index, new ChangelogApplier(index, p != null ? p : ChangelogPosition.start(null)), "cosine", FAST).start();
        open.add(tailer);
        return new Replica(index, tailer, new ChangelogWriter(log, tailer, name));
    }

    static void awaitTrue(java.util.function.BooleanSupplier c, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (!c.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) throw new AssertionError("not within 20 s: " + what);
            Thread.sleep(20);
        }
    }

    @Test
    void writesThroughEitherReplicaEndInTheSameCatalogOnBoth() throws Exception {
        Replica a = replica("a"), b = replica("b");
        awaitTrue(() -> a.tailer().ready() && b.tailer().ready(), "both ready on an empty changelog");
        CatalogWriter.Ack last = null;
        for (int i = 0; i < 50; i++) {
            Replica via = i % 2 == 0 ? a : b;
            last = via.writer().upsert(List.of(item("x" + (i % 20), "round " + i, i), item("y" + i, "y", i)));
        }
        // read-your-writes: B sees its own write in a search once awaitVisible returns
        CatalogWriter.Ack mine = b.writer().upsert(List.of(item("rw", "zorblax", 1)));
        assertThat(b.writer().awaitVisible(mine, Duration.ofSeconds(5))).isTrue();
        assertThat(search(b.index(), "zorblax")).isEqualTo(1);

        CatalogWriter.Deleted gone = a.writer().delete("y3", Duration.ofSeconds(5));
        assertThat(gone.existed()).isTrue();
        assertThat(b.writer().delete("never-was", Duration.ofSeconds(5)).existed()).as("the same answer as the single-node mode").isFalse();
        StreamId head = StreamId.parse(gone.position());
        assertThat(a.tailer().awaitApplied(head, Duration.ofSeconds(10))).isTrue();
        assertThat(b.tailer().awaitApplied(StreamId.parse(last.position()), Duration.ofSeconds(10))).isTrue();
        assertThat(b.tailer().awaitApplied(head, Duration.ofSeconds(10))).isTrue();
        awaitTrue(() -> a.digest().equals(b.digest()), "same digest");
        assertThat(a.index().size()).isEqualTo(20 + 50 + 1 - 1);
        assertThat(a.index().item("x9").title()).as("the stream's order decides").isEqualTo("round 49");
        awaitTrue(() -> a.tailer().lagEntries() == 0 && b.tailer().lagEntries() == 0, "lag 0 once caught up");
        assertThat(a.tailer().lagMillis()).isZero();
    }

    static long search(CatalogIndex index, String word) throws Exception {
        var s = index.acquire();
        try {
            return s.count(new org.apache.lucene.search.TermQuery(new org.apache.lucene.index.Term(CatalogIndex.TITLE, word)));
        } finally {
            index.release(s);
        }
    }

    @Test
    void aRestartedReplicaResumesFromItsCommitAndANewOneStartsFromTheNewestSnapshot() throws Exception {
        Replica a = replica("a");
        awaitTrue(() -> a.tailer().ready(), "ready");
        for (int i = 0; i < 30; i++) a.writer().upsert(List.of(item("s" + i, "snap", i)));
        // a replica that goes down early, for longer than the snapshots kept
        Replica old = replica("old");
        awaitTrue(() -> old.index().size() == 30, "old caught up");
        old.tailer().close();
        old.index().close();
        CatalogWriter.Ack before = a.writer().upsert(List.of(item("s0", "snap again", 100)));
        assertThat(a.tailer().awaitApplied(StreamId.parse(before.position()), Duration.ofSeconds(10))).isTrue();
        CatalogSnapshots snapshots = new CatalogSnapshots(new DirectorySnapshotStore(dir.resolve("snapshots")));
        SnapshotStore.Snapshot first = snapshots.take(a.index(), a.tailer().applier(), "a");
        assertThat(first.items()).isEqualTo(30);
        assertThat(first.position().lastId()).isEqualTo(StreamId.parse(before.position()));

        for (int i = 30; i < 40; i++) a.writer().upsert(List.of(item("s" + i, "after", i)));
        a.writer().delete("s1", Duration.ofSeconds(5));
        SnapshotStore.Snapshot second = snapshots.take(a.index(), a.tailer().applier(), "a");
        long trimmed = snapshots.retainAndTrim(second.position().epoch(), 1, changelog(), true);
        assertThat(trimmed).as("entries before the one snapshot kept").isEqualTo(31 + 10);
        assertThat(snapshots.store().list()).extracting(SnapshotStore.Snapshot::name).containsExactly(second.name());
        for (int i = 40; i < 45; i++) a.writer().upsert(List.of(item("s" + i, "later", i)));

        // a new replica restores the newest snapshot and tails from its position
        Path fresh = dir.resolve("c");
        assertThat(snapshots.restoreInto(fresh, second.position().epoch(), ChangelogApplierTest.DIM)).isPresent();
        Replica c = replica("c");
        assertThat(c.tailer().applier().position().lastId()).isEqualTo(second.position().lastId());
        awaitTrue(() -> c.tailer().ready() && c.index().size() == a.index().size(), "c caught up");
        awaitTrue(() -> c.digest().equals(a.digest()), "c has a's catalog");
        // the replica that was down: the stream no longer covers its index; at its start that index is replaced
        RedisChangelog.Info head = changelog().info();
        assertThat(snapshots.replaceIfTrimmedPast(dir.resolve("old"), head, second.position().epoch(), ChangelogApplierTest.DIM))
                .map(SnapshotStore.Snapshot::name).contains(second.name());
        Replica back = replica("old");
        awaitTrue(() -> back.tailer().ready() && back.digest().equals(a.digest()), "the replica that was down converges");
        assertThat(snapshots.replaceIfTrimmedPast(dir.resolve("c"), head, second.position().epoch(), ChangelogApplierTest.DIM))
                .as("an index the stream still covers stays").isEmpty();
        // and a replica with no snapshot cannot follow a trimmed changelog: it says so and is not ready
        Replica d = replica("d");
        awaitTrue(() -> d.tailer().state() == ChangelogTailer.State.FAILED, "d fails");
        assertThat(d.tailer().failure()).contains("trimmed past");
        assertThat(d.tailer().ready()).isFalse();
    }

    @Test
    void anIndexOfAnotherChangelogDoesNotFollowThisOne() throws Exception {
        Replica a = replica("a");
        a.writer().upsert(List.of(item("e1", "epoch", 1)));
        awaitTrue(() -> a.index().size() == 1, "applied");
        a.tailer().close();
        a.index().close();
        redis.cli("DEL", prefix + ":{catalog}:meta", prefix + ":{catalog}:changelog"); // Redis emptied
        Replica again = replica("a");
        awaitTrue(() -> again.tailer().state() == ChangelogTailer.State.FAILED, "fails");
        assertThat(again.tailer().failure()).contains("epoch");
        assertThat(again.tailer().ready()).isFalse();
    }

    @Test
    void withRedisPausedWritesFailFastAndTheReplicaCatchesUpAfterwards() throws Exception {
        Replica a = replica("a"), b = replica("b");
        a.writer().upsert(List.of(item("p1", "paused", 1)));
        awaitTrue(() -> b.index().size() == 1 && b.tailer().ready(), "b applied it");
        redis.pause();
        try {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> a.writer().upsert(List.of(item("p2", "paused", 2)))).isInstanceOf(CatalogUnavailableException.class)
                    .hasMessageContaining("did not answer");
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(3_000);
            awaitTrue(() -> b.tailer().state() == ChangelogTailer.State.UNREACHABLE, "b notices");
            assertThat(b.tailer().ready()).as("serving what it has").isTrue();
        } finally {
            redis.resume();
        }
        awaitTrue(() -> b.tailer().state() == ChangelogTailer.State.FOLLOWING, "b follows again");
        a.writer().upsert(List.of(item("p3", "resumed", 3)));
        awaitTrue(() -> b.index().item("p3") != null, "b catches up without a restart");
        // the write that timed out was sent before the pause ended: Redis may still have applied it (documented)
        awaitTrue(() -> a.digest().equals(b.digest()), "same catalog");
    }
}
