package io.ranker.catalog;

import io.ranker.core.Item;
import io.ranker.core.RankRequest;
import io.ranker.core.RankingContext;
import io.ranker.core.SourceHit;
import io.ranker.retrieval.Bm25Source;
import io.ranker.retrieval.VectorSource;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.index.SegmentCommitInfo;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A data directory written before the move to Lucene 10 keeps working, and one that cannot be read stops the start
 * with what to do. The fixture {@code catalog/lucene9-index} was written by Ranker on Lucene 9.12.3 (commit 831cd86,
 * {@code quarkus-run.jar index --vector-dimension 8}) from 200 generated items {@code i0..i199}: title
 * "{word} number {i}" with the words lamp, chair, table, jacket, shoe, kettle, radio, camera, backpack, bottle in
 * turn, brand {@code b(i%5)}, price {@code i}, an 8-d vector.
 */
class CatalogIndexCompatibilityTest {
    static final String[] FIXTURE = {"_0.cfe", "_0.cfs", "_0.si", "_1.cfe", "_1.cfs", "_1.si", "segments_1"};

    @TempDir
    Path dir;

    private Path copyFixture() throws IOException {
        for (String f : FIXTURE) {
            try (InputStream in = getClass().getResourceAsStream("/catalog/lucene9-index/" + f)) {
                Files.copy(in, dir.resolve(f));
            }
        }
        return dir;
    }

    private static RankingContext ctx(String text, float[] vector) {
        return new RankingContext(new RankRequest("s", null, text, vector, null, null, 10, false, null), "i", 1);
    }

    private static List<String> ids(List<SourceHit> hits) {
        return hits.stream().map(SourceHit::id).toList();
    }

    @Test
    void opensAnIndexWrittenByLucene9AndMovesItToLucene10AsItMerges() throws Exception {
        Path index = copyFixture();
        try (FSDirectory d = FSDirectory.open(index)) {
            SegmentInfos infos = SegmentInfos.readLatestCommit(d);
            assertThat(infos.getIndexCreatedVersionMajor()).isEqualTo(9);
            for (SegmentCommitInfo s : infos) assertThat(s.info.getCodec().getName()).isEqualTo("Lucene912");
        }
        float[] v17;
        try (CatalogIndex catalog = new CatalogIndex(index, 8, "cosine", 50)) {
            assertThat(catalog.size()).isEqualTo(200);
            assertThat(catalog.attributeTypes()).containsKeys("brand", "price");
            v17 = catalog.item("i17").vector();
            VectorSource vectors = new VectorSource("vector", catalog, null, 0, List.of(), 50);
            assertThat(ids(vectors.retrieve(ctx(null, v17), 5))).first().isEqualTo("i17");
            Bm25Source bm25 = new Bm25Source("bm25", catalog, Map.of("title", 1f), List.of());
            assertThat(ids(bm25.retrieve(ctx("kettle", null), 100))).hasSize(20).allMatch(id -> Integer.parseInt(id.substring(1)) % 10 == 5);

            // writes go on: new segments in Lucene 10's codec, and a merge rewrites the old ones
            catalog.upsert(List.of(new Item("new1", "teapot", "", Map.of("brand", "b9", "price", 1.0), new float[]{1, 0, 0, 0, 0, 0, 0, 0})));
            catalog.delete("i3");
            catalog.forceMerge(1);
        }
        try (FSDirectory d = FSDirectory.open(index)) {
            for (SegmentCommitInfo s : SegmentInfos.readLatestCommit(d)) assertThat(s.info.getCodec().getName()).isEqualTo(Codec.getDefault().getName());
        }
        try (CatalogIndex catalog = new CatalogIndex(index, 8, "cosine", 50)) {
            assertThat(catalog.size()).isEqualTo(200);
            assertThat(catalog.item("i3")).isNull();
            VectorSource vectors = new VectorSource("vector", catalog, null, 0, List.of(), 50);
            assertThat(ids(vectors.retrieve(ctx(null, v17), 5))).first().isEqualTo("i17");
            assertThat(ids(new Bm25Source("bm25", catalog, Map.of("title", 1f), List.of()).retrieve(ctx("teapot", null), 10))).containsExactly("new1");
        }
    }

    @Test
    void anUnreadableIndexStopsTheStartWithWhatToDo() throws Exception {
        // What an index from Lucene 8 or older looks like to Lucene 10 at the first bytes of its commit
        Files.write(dir.resolve("segments_1"), new byte[]{0, 0, 0, 7, 1, 2, 3, 4, 5, 6, 7, 8});
        for (int attempt = 0; attempt < 2; attempt++) { // the second attempt is not refused as "locked"
            assertThatThrownBy(() -> new CatalogIndex(dir, 8, "cosine", 50))
                    .isInstanceOf(CatalogIndex.IncompatibleIndexException.class)
                    .hasMessageContaining(dir.toAbsolutePath().toString())
                    .hasMessageContaining("cannot be opened by Lucene 10")
                    .hasMessageContaining("Re-index");
        }
    }

    @Test
    void int8QuantizedVectorsServeExactScoresAndReopenUnderEitherSetting() throws Exception {
        java.util.Random r = new java.util.Random(11);
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            float[] v = new float[16];
            for (int j = 0; j < v.length; j++) v[j] = (float) r.nextGaussian();
            items.add(new Item("v" + i, "t", "", Map.of(), v));
        }
        float[] query = items.get(123).vector();
        List<SourceHit> int8;
        try (CatalogIndex catalog = new CatalogIndex(dir, 16, "euclidean", VectorQuantization.INT8, 50)) {
            catalog.upsert(items);
            catalog.forceMerge(1);
            var searcher = catalog.acquire();
            try {
                var info = searcher.getIndexReader().leaves().get(0).reader().getFieldInfos().fieldInfo(CatalogIndex.VECTOR);
                assertThat(info.getAttribute("PerFieldKnnVectorsFormat.format"))
                        .isEqualTo(org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat.NAME);
            } finally {
                catalog.release(searcher);
            }
            int8 = new VectorSource("vector", catalog, null, 0, List.of(), 100).retrieve(ctx(null, query), 10);
        }
        assertThat(int8.get(0).id()).isEqualTo("v123");
        for (SourceHit h : int8) {
            float exact = org.apache.lucene.index.VectorSimilarityFunction.EUCLIDEAN.compare(query, items.get(Integer.parseInt(h.id().substring(1))).vector());
            assertThat((double) h.score()).as("rescored on the float vectors").isCloseTo(exact, org.assertj.core.data.Offset.offset(1e-6));
        }
        // the format is recorded per segment: the same index opens when the setting goes back to none
        try (CatalogIndex catalog = new CatalogIndex(dir, 16, "euclidean", VectorQuantization.NONE, 50)) {
            assertThat(ids(new VectorSource("vector", catalog, null, 0, List.of(), 100).retrieve(ctx(null, query), 10))).first().isEqualTo("v123");
        }
    }
}
