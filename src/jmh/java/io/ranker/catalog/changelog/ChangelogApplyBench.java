package io.ranker.catalog.changelog;

import io.ranker.catalog.CatalogIndex;
import io.ranker.core.Item;
import io.ranker.demo.DemoCatalog;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.DoubleDocValuesField;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.openjdk.jmh.annotations.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Applying the catalog changelog on one replica, one operation = one batch of 1,000 entries (the tailer's batch) of
 * demo items with 64-d vectors, into an index that grows to {@code -p items} documents and then takes updates:
 * <ul>
 *   <li>{@code applyEntries}: the whole apply path: decode the stream entry, validate the item JSON, version check,
 *       Lucene document, {@code updateDocument};</li>
 *   <li>{@code putParsedItems}: the same items already parsed, through {@code CatalogIndex.put} (our Lucene path alone);</li>
 *   <li>{@code rawLucene}: the same documents built by hand into a plain {@code IndexWriter} (the raw library).</li>
 * </ul>
 * No commit and no refresh inside the operation (the tailer commits once a second); segment flushes, HNSW graph
 * building and merges land in whichever operation triggers them, so the average is the sustained cost.
 * Items per second = 1000 / (ms per op) * 1000.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class ChangelogApplyBench {
    static final int BATCH = 1000;
    static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    @Param({"50000"})
    int items;

    Path dir;
    CatalogIndex index;
    ChangelogApplier applier;
    IndexWriter raw;
    List<List<ChangelogEntry.Raw>> entryBatches = new ArrayList<>();
    List<List<Item>> itemBatches = new ArrayList<>();
    Map<String, byte[]> sources = new java.util.HashMap<>();
    long sequence;
    int next;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        dir = Files.createTempDirectory("apply-bench");
        List<Item> all = new DemoCatalog(64, 42).generate(items, 42);
        for (int from = 0; from < all.size(); from += BATCH) {
            List<Item> batch = all.subList(from, Math.min(all.size(), from + BATCH));
            itemBatches.add(batch);
            for (Item item : batch) {
                sources.put(item.id(), JSON.writeValueAsBytes(io.ranker.catalog.ItemJson.toJson(JSON, item)));
            }
            List<ChangelogEntry.Raw> entries = new ArrayList<>(batch.size());
            for (Item item : batch) {
                List<String> f = ChangelogEntry.upsert(item, "bench");
                Map<String, String> m = new LinkedHashMap<>();
                for (int i = 0; i < f.size(); i += 2) m.put(f.get(i), f.get(i + 1));
                entries.add(new ChangelogEntry.Raw(StreamId.ZERO, m)); // ids are stamped per operation
            }
            entryBatches.add(entries);
        }
        index = new CatalogIndex(dir.resolve("ours"), 64, "cosine", 3_600_000);
        applier = new ChangelogApplier(index, ChangelogPosition.start("bench"));
        IndexWriterConfig cfg = new IndexWriterConfig(new EnglishAnalyzer());
        cfg.setRAMBufferSizeMB(64);
        raw = new IndexWriter(FSDirectory.open(dir.resolve("raw")), cfg);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        index.close();
        raw.close();
        DirectorySnapshotStore.deleteTree(dir);
    }

    private int nextBatch() {
        int b = next;
        next = (next + 1) % entryBatches.size();
        return b;
    }

    @Benchmark
    public ChangelogApplier.Result applyEntries() throws Exception {
        List<ChangelogEntry.Raw> batch = entryBatches.get(nextBatch());
        List<ChangelogEntry.Raw> stamped = new ArrayList<>(batch.size());
        for (ChangelogEntry.Raw e : batch) stamped.add(new ChangelogEntry.Raw(new StreamId(1, ++sequence), e.fields()));
        return applier.apply(stamped);
    }

    @Benchmark
    public int putParsedItems() throws Exception {
        for (Item item : itemBatches.get(nextBatch())) index.put(item, "1-" + (++sequence));
        return index.size();
    }

    @Benchmark
    public long rawLucene() throws Exception {
        long seq = 0;
        for (Item item : itemBatches.get(nextBatch())) seq = raw.updateDocument(new Term(CatalogIndex.ID, item.id()), document(item, sources.get(item.id())));
        return seq;
    }

    /** The field layout of CatalogIndex's documents, built directly (the stored source serialised beforehand). */
    static Document document(Item item, byte[] source) {
        Document d = new Document();
        d.add(new StringField(CatalogIndex.ID, item.id(), Field.Store.YES));
        d.add(new SortedDocValuesField(CatalogIndex.ID, new BytesRef(item.id())));
        d.add(new TextField(CatalogIndex.TITLE, item.title(), Field.Store.NO));
        d.add(new TextField(CatalogIndex.TEXT, item.text(), Field.Store.NO));
        for (var e : item.attributes().entrySet()) {
            if (e.getValue() instanceof Number n) {
                d.add(new DoublePoint("n." + e.getKey(), n.doubleValue()));
                d.add(new DoubleDocValuesField("n." + e.getKey(), n.doubleValue()));
            } else if (e.getValue() instanceof List<?> list) {
                for (Object x : list) d.add(new StringField("a." + e.getKey(), String.valueOf(x), Field.Store.NO));
            } else {
                d.add(new StringField("a." + e.getKey(), String.valueOf(e.getValue()), Field.Store.NO));
            }
        }
        d.add(new KnnFloatVectorField(CatalogIndex.VECTOR, item.vector(), VectorSimilarityFunction.COSINE));
        d.add(new StoredField(CatalogIndex.SOURCE, source));
        return d;
    }
}
