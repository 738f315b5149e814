import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Version;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Raw Lucene HNSW search speed on an .fvecs data set (sift5k), with only the API that Lucene 9.12 and 10.x share,
 * so the same source runs against either version's jar (see hnsw-compare.sh):
 *   java [--add-modules jdk.incubator.vector] -cp lucene-core.jar HnswSpeed.java DATASET_DIR [K] [EF] [PASSES]
 * One segment built in one pass (the same graph in both versions: Lucene's HNSW builder has a fixed seed), then
 * PASSES timed passes over the queries after as many warm-up passes; prints one JSON line with the median per-query
 * CPU time of this thread (the search runs on it) and wall time, and recall@K against the ground truth.
 */
public class HnswSpeed {
    public static void main(String[] args) throws Exception {
        Path dataset = Path.of(args[0]);
        int k = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int ef = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        int passes = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        List<float[]> base = fvecs(dataset.resolve("base.fvecs"));
        List<float[]> queries = fvecs(dataset.resolve("query.fvecs"));
        List<int[]> truth = ivecs(dataset.resolve("groundtruth.ivecs"));
        Path dir = Files.createTempDirectory("hnsw-speed");
        try (FSDirectory d = FSDirectory.open(dir);
             IndexWriter w = new IndexWriter(d, new IndexWriterConfig().setRAMBufferSizeMB(1024))) {
            long t0 = System.nanoTime();
            for (int i = 0; i < base.size(); i++) {
                Document doc = new Document();
                doc.add(new StoredField("id", i));
                doc.add(new KnnFloatVectorField("v", base.get(i), VectorSimilarityFunction.EUCLIDEAN));
                w.addDocument(doc);
            }
            w.commit();
            double buildSeconds = (System.nanoTime() - t0) / 1e9;
            try (DirectoryReader reader = DirectoryReader.open(w)) {
                IndexSearcher searcher = new IndexSearcher(reader);
                StoredFields stored = reader.storedFields();
                ThreadMXBean threads = ManagementFactory.getThreadMXBean();
                double recall = 0;
                for (int q = 0; q < queries.size(); q++) {
                    TopDocs top = searcher.search(new KnnFloatVectorQuery("v", queries.get(q), ef), ef);
                    Set<Integer> expected = new HashSet<>();
                    for (int j = 0; j < k; j++) expected.add(truth.get(q)[j]);
                    for (int j = 0; j < Math.min(k, top.scoreDocs.length); j++) {
                        if (expected.contains(stored.document(top.scoreDocs[j].doc).getField("id").numericValue().intValue())) recall++;
                    }
                }
                recall /= (double) k * queries.size();
                double[] cpu = new double[passes], wall = new double[passes];
                long sink = 0;
                for (int p = -passes; p < passes; p++) { // the first half warms up
                    long c0 = threads.getCurrentThreadCpuTime(), w0 = System.nanoTime();
                    for (float[] q : queries) sink += searcher.search(new KnnFloatVectorQuery("v", q, ef), ef).scoreDocs[0].doc;
                    if (p >= 0) {
                        cpu[p] = (threads.getCurrentThreadCpuTime() - c0) / 1e3 / queries.size();
                        wall[p] = (System.nanoTime() - w0) / 1e3 / queries.size();
                    }
                }
                Arrays.sort(cpu);
                Arrays.sort(wall);
                System.out.printf("{\"java\": \"%s\", \"lucene\": \"%s\", \"vectorModule\": %b, \"base\": %d, \"queries\": %d, \"k\": %d, \"ef\": %d, "
                                + "\"recall@%d\": %.4f, \"cpuMicrosPerQuery\": %.1f, \"wallMicrosPerQuery\": %.1f, \"buildSeconds\": %.1f, \"sink\": %d}%n",
                        Runtime.version(), Version.LATEST, ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                        base.size(), queries.size(), k, ef, k, recall, cpu[passes / 2], wall[passes / 2], buildSeconds, sink % 10);
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static List<float[]> fvecs(Path p) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
        List<float[]> out = new ArrayList<>();
        while (b.hasRemaining()) {
            float[] v = new float[b.getInt()];
            for (int i = 0; i < v.length; i++) v[i] = b.getFloat();
            out.add(v);
        }
        return out;
    }

    static List<int[]> ivecs(Path p) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
        List<int[]> out = new ArrayList<>();
        while (b.hasRemaining()) {
            int[] v = new int[b.getInt()];
            for (int i = 0; i < v.length; i++) v[i] = b.getInt();
            out.add(v);
        }
        return out;
    }
}
