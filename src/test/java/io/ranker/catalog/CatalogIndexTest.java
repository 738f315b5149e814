package io.ranker.catalog;

import io.ranker.core.Item;
import io.ranker.core.RankRequest;
import io.ranker.core.RankingContext;
import io.ranker.core.SourceHit;
import io.ranker.retrieval.Bm25Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class CatalogIndexTest {
    @TempDir
    Path dir;

    private static Item item(String id, String title) {
        return new Item(id, title, "", Map.of("brand", "b", "price", 3.0, "tags", List.of("x")), new float[]{1, 0});
    }

    private static List<String> search(CatalogIndex index, String text) throws Exception {
        Bm25Source bm25 = new Bm25Source("bm25", index, Map.of("title", 1f), List.of());
        RankingContext ctx = new RankingContext(new RankRequest("s", null, text, null, null, null, 10, false, null), "i", 1);
        return bm25.retrieve(ctx, 10).stream().map(SourceHit::id).toList();
    }

    @Test
    void survivesRestartWithUpsertsAndDeletes() throws Exception {
        try (CatalogIndex index = new CatalogIndex(dir, 2, "cosine", 50)) {
            index.upsert(List.of(item("a", "gizmo alpha"), item("b", "gizmo beta"), item("c", "gizmo gamma")));
            index.upsert(List.of(item("b", "gadget beta"))); // replace, not add
            index.delete("c");
        }
        try (CatalogIndex index = new CatalogIndex(dir, 2, "cosine", 50)) {
            assertThat(index.size()).isEqualTo(2);
            assertThat(index.item("b").title()).isEqualTo("gadget beta");
            assertThat(search(index, "gizmo")).containsExactly("a");
            assertThat(index.attributeTypes()).containsEntry("price", CatalogIndex.AttributeType.NUMBER)
                    .containsEntry("tags", CatalogIndex.AttributeType.STRING_LIST);
        }
    }

    @Test
    void writesBecomeVisibleWithinTheRefreshInterval() throws Exception {
        try (CatalogIndex index = new CatalogIndex(dir, 2, "cosine", 50)) {
            index.upsert(List.of(item("a", "widget")));
            long deadline = System.currentTimeMillis() + 1000;
            while (search(index, "widget").isEmpty() && System.currentTimeMillis() < deadline) Thread.sleep(10);
            assertThat(search(index, "widget")).containsExactly("a");
        }
    }

    @Test
    void concurrentReadersAndWritersNeverFail() throws Exception {
        try (CatalogIndex index = new CatalogIndex(dir, 2, "cosine", 20)) {
            ExecutorService pool = Executors.newFixedThreadPool(6);
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int writer = w;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 60; i++) {
                        index.upsert(List.of(item("w" + writer + "-" + i, "concurrent doc " + i)));
                        if (i % 3 == 0) index.delete("w" + writer + "-" + (i / 2));
                    }
                    return null;
                }));
            }
            for (int r = 0; r < 4; r++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 200; i++) search(index, "concurrent doc");
                    return null;
                }));
            }
            for (Future<?> f : futures) f.get();
            pool.shutdown();
            index.refresh();
            assertThat(search(index, "concurrent")).isNotEmpty();
        }
    }
}
