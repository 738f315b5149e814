package io.ranker.catalog.changelog;

import io.ranker.catalog.CatalogDigest;
import io.ranker.catalog.CatalogIndex;
import io.ranker.core.Item;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The apply contract on a real Lucene index: idempotent, deterministic skips, resumes from the commit's user data. */
class ChangelogApplierTest {
    static final int DIM = 4;
    @TempDir
    Path dir;

    static Item item(String id, String title, int variant) {
        return new Item(id, title, "text " + variant, Map.of("brand", "b" + variant % 3, "price", (double) variant, "tags", List.of("t" + variant)),
                new float[]{1, variant, 0.5f, -variant});
    }

    static ChangelogEntry.Raw raw(long ms, List<String> fields) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < fields.size(); i += 2) m.put(fields.get(i), fields.get(i + 1));
        return new ChangelogEntry.Raw(new StreamId(ms, 0), m);
    }

    static ChangelogEntry.Raw upsert(long ms, Item item) {
        return raw(ms, ChangelogEntry.upsert(item, "test"));
    }

    static ChangelogEntry.Raw delete(long ms, String id) {
        return raw(ms, ChangelogEntry.delete(id, "test"));
    }

    CatalogIndex open(String name) throws Exception {
        return new CatalogIndex(dir.resolve(name), DIM, "cosine", 50);
    }

    static ChangelogApplier applier(CatalogIndex index) {
        ChangelogPosition p = ChangelogPosition.fromCommitData(index.commitData());
        return new ChangelogApplier(index, p != null ? p : ChangelogPosition.start("epoch-1"));
    }

    /** A random history of upserts and deletes over a few ids, with some entries no replica can apply. */
    static List<ChangelogEntry.Raw> history(long seed, int n) {
        Random r = new Random(seed);
        List<ChangelogEntry.Raw> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            String id = "i" + r.nextInt(15);
            int kind = r.nextInt(20);
            if (kind < 12) out.add(upsert(i, item(id, "title " + i, i)));
            else if (kind < 18) out.add(delete(i, id));
            else if (kind == 18) out.add(raw(i, List.of("v", "1", "op", "upsert", "id", id, "item", "{\"id\":\"" + id + "\",\"vector\":[1,2]}", "src", "x")));
            else out.add(raw(i, List.of("v", "9", "op", "upsert", "id", id)));
        }
        return out;
    }

    @Test
    void reapplyingAnyEntryIsANoOp() throws Exception {
        List<ChangelogEntry.Raw> log = history(1, 300);
        try (CatalogIndex index = open("a")) {
            ChangelogApplier a = applier(index);
            a.apply(log);
            CatalogDigest once = CatalogDigest.of(index.items());
            ChangelogApplier.Result again = a.apply(log);
            assertThat(again.applied()).as("entries at or before the position are ignored").isZero();
            assertThat(again.ignored()).isEqualTo(log.size());
            assertThat(CatalogDigest.of(index.items())).isEqualTo(once);

            // the whole history replayed over the final state (a position lost, entries delivered twice): same catalog
            ChangelogApplier fromZero = new ChangelogApplier(index, ChangelogPosition.start("epoch-1"));
            fromZero.apply(log);
            assertThat(CatalogDigest.of(index.items())).isEqualTo(once);
            // an upsert older than the item's version changes nothing
            Item current = index.items().iterator().next();
            String version = index.version(current.id());
            ChangelogApplier stale = new ChangelogApplier(index, ChangelogPosition.start("epoch-1"));
            assertThat(stale.apply(List.of(upsert(0, item(current.id(), "stale", 99)))).ignored()).isEqualTo(1);
            assertThat(index.item(current.id()).title()).isEqualTo(current.title());
            assertThat(index.version(current.id())).isEqualTo(version);
        }
    }

    @Test
    void badEntriesAreSkippedTheSameWayOnEveryReplicaAndNeverStallIt() throws Exception {
        String huge = "x".repeat(40_000); // over the attribute limit (4096 bytes; Lucene itself refuses terms over 32766)
        List<ChangelogEntry.Raw> log = List.of(
                upsert(1, item("a", "alpha", 1)),
                raw(2, List.of("v", "2", "op", "upsert", "id", "a")),
                raw(3, List.of("v", "1", "op", "rename", "id", "a")),
                raw(4, List.of("v", "1", "op", "upsert", "id", "b", "item", "{not json", "src", "x")),
                raw(5, List.of("v", "1", "op", "upsert", "id", "b", "item", "{\"id\":\"b\",\"vector\":[1,2]}", "src", "x")),
                raw(6, List.of("v", "1", "op", "upsert", "id", "b", "item", "{\"id\":\"c\"}", "src", "x")),
                upsert(7, new Item("d", "big", "", Map.of("code", huge), null)),
                upsert(8, item("b", "beta", 2)),
                delete(9, "a"));
        CatalogDigest[] digests = new CatalogDigest[2];
        for (int replica = 0; replica < 2; replica++) {
            try (CatalogIndex index = open("r" + replica)) {
                ChangelogApplier a = applier(index);
                ChangelogApplier.Result r = a.apply(log);
                assertThat(r.skipped()).isEqualTo(6);
                assertThat(r.applied()).isEqualTo(3);
                assertThat(a.position().lastId()).isEqualTo(new StreamId(9, 0));
                assertThat(a.position().consumed()).isEqualTo(9);
                assertThat(a.skippedCount()).isEqualTo(6);
                assertThat(a.recentSkips()).extracting(ChangelogApplier.Skip::entry).containsExactly("2-0", "3-0", "4-0", "5-0", "6-0", "7-0");
                assertThat(a.recentSkips().get(0).reason()).contains("format '2'");
                assertThat(a.recentSkips().get(3).reason()).contains("/vector");
                assertThat(a.recentSkips().get(4).reason()).contains("differs");
                assertThat(a.recentSkips().get(5).reason()).contains("at most 4096 bytes");
                assertThat(index.item("b").title()).isEqualTo("beta");
                assertThat(index.item("a")).isNull();
                assertThat(index.item("d")).isNull();
                assertThat(a.deleteOutcome(new StreamId(9, 0))).isTrue();
                digests[replica] = CatalogDigest.of(index.items());
            }
        }
        assertThat(digests[0]).isEqualTo(digests[1]);
    }

    @Test
    void aRestartResumesExactlyFromThePositionInTheCommitUserData() throws Exception {
        List<ChangelogEntry.Raw> log = history(7, 400);
        CatalogDigest expected;
        try (CatalogIndex reference = open("reference")) {
            applier(reference).apply(log);
            expected = CatalogDigest.of(reference.items());
        }
        Random r = new Random(11);
        for (int trial = 0; trial < 3; trial++) {
            String name = "crash" + trial;
            int committedAt = r.nextInt(log.size());
            int crashedAt = committedAt + r.nextInt(log.size() - committedAt);
            CatalogIndex index = open(name);
            ChangelogApplier a = applier(index);
            a.apply(log.subList(0, committedAt));
            a.commit();
            a.apply(log.subList(committedAt, crashedAt)); // applied, never committed: lost in the crash
            index.closeWithoutCommit();

            try (CatalogIndex restarted = open(name)) {
                ChangelogPosition resumed = ChangelogPosition.fromCommitData(restarted.commitData());
                assertThat(resumed.lastId()).isEqualTo(committedAt == 0 ? StreamId.ZERO : log.get(committedAt - 1).id());
                assertThat(resumed.consumed()).isEqualTo(committedAt);
                assertThat(resumed.epoch()).isEqualTo("epoch-1");
                ChangelogApplier again = new ChangelogApplier(restarted, resumed);
                ChangelogApplier.Result result = again.apply(log); // the stream from the start: the prefix is ignored
                assertThat(result.applied() + result.ignored() + result.skipped()).isEqualTo(log.size());
                assertThat(again.position().consumed()).isEqualTo(log.size());
                assertThat(CatalogDigest.of(restarted.items())).as("trial %d: commit at %d, crash at %d", trial, committedAt, crashedAt)
                        .isEqualTo(expected);
            }
        }
    }

    /**
     * A snapshot's commit races the applier's own commits: its user data must never claim entries its documents do
     * not hold (every entry here adds a new item, so the commit must hold at least as many items as entries consumed).
     */
    @Test
    void aCommitNeverClaimsAPositionItsDocumentsDoNotReach() throws Exception {
        try (CatalogIndex index = open("race")) {
            ChangelogApplier a = applier(index);
            java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
            List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
            Thread snapshots = new Thread(() -> {
                try {
                    while (!done.get()) {
                        index.withLastCommit(a.position().toCommitData(), (d, files, data, items) -> {
                            long consumed = ChangelogPosition.fromCommitData(data).consumed();
                            if (items < consumed) violations.add(items + " items at a commit claiming " + consumed + " entries");
                            return null;
                        });
                    }
                } catch (Exception e) {
                    violations.add(e.toString());
                }
            });
            snapshots.start();
            for (int batch = 0; batch < 24; batch++) {
                List<ChangelogEntry.Raw> entries = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    int n = batch * 50 + i + 1;
                    entries.add(upsert(n, item("n" + n, "new", n)));
                }
                a.apply(entries);
                a.commit();
            }
            done.set(true);
            snapshots.join();
            assertThat(violations).isEmpty();
        }
    }

    @Test
    void theVersionOfEachItemSurvivesARestart() throws Exception {
        try (CatalogIndex index = open("v")) {
            ChangelogApplier a = applier(index);
            a.apply(List.of(upsert(5, item("x", "five", 5))));
            a.commit();
        }
        try (CatalogIndex index = open("v")) {
            assertThat(index.version("x")).isEqualTo("5-0");
            ChangelogApplier a = new ChangelogApplier(index, ChangelogPosition.start("epoch-1"));
            assertThat(a.apply(List.of(upsert(4, item("x", "four", 4)))).ignored()).isEqualTo(1);
            assertThat(index.item("x").title()).isEqualTo("five");
        }
    }
}
