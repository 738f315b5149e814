package io.ranker.cli;

import io.ranker.catalog.CatalogIndex;
import io.ranker.catalog.LuceneVectorization;
import io.ranker.catalog.VectorQuantization;
import io.ranker.core.Item;
import io.ranker.core.RankRequest;
import io.ranker.core.RankingContext;
import io.ranker.core.SourceHit;
import io.ranker.retrieval.VectorSource;
import io.ranker.retrieval.eval.RetrievalMetrics;
import io.ranker.retrieval.eval.VecsFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * HNSW recall@k and per-query latency against exact ground truth, through the same index and vector source
 * that serve {@code /v1/rank}.
 */
@Command(name = "ann", mixinStandardHelpOptions = true,
        description = "Recall@k and latency of the HNSW vector source on .fvecs/.ivecs data (e.g. sift5k).")
public class EvalAnnCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--base", required = true, description = "base vectors (.fvecs)")
    Path base;
    @Option(names = "--queries", required = true, description = "query vectors (.fvecs)")
    Path queries;
    @Option(names = "--groundtruth", required = true, description = "exact neighbours (.ivecs)")
    Path groundtruth;
    @Option(names = "--k", defaultValue = "10", description = "neighbours per query (default ${DEFAULT-VALUE})")
    int k;
    @Option(names = "--ef", defaultValue = "300", description = "HNSW candidates explored per query (default ${DEFAULT-VALUE})")
    int ef;
    @Option(names = "--similarity", defaultValue = "euclidean", description = "euclidean (SIFT ground truth is L2), cosine, dot_product")
    String similarity;
    @Option(names = "--vector-quantization", defaultValue = "none", description = "none or int8, as ranking.catalog.vector-quantization (default ${DEFAULT-VALUE})")
    String quantization;
    @Option(names = "--min-recall", description = "exit with status 1 when recall@k is below this")
    Double minRecall;

    @Override
    public Integer call() throws Exception {
        List<float[]> baseVectors = VecsFiles.readFvecs(Datasets.existingFile(spec, base, "--base"));
        List<float[]> queryVectors = VecsFiles.readFvecs(Datasets.existingFile(spec, queries, "--queries"));
        List<int[]> truth = VecsFiles.readIvecs(Datasets.existingFile(spec, groundtruth, "--groundtruth"));
        if (truth.size() < queryVectors.size()) throw new CommandLine.ParameterException(spec.commandLine(), "fewer ground-truth rows than queries");
        int dim = baseVectors.get(0).length;
        VectorQuantization vq = VectorQuantization.parse(quantization);
        LuceneVectorization simd = LuceneVectorization.current();
        if (!simd.panama()) System.err.println(simd.describe());
        Path tmp = Files.createTempDirectory("ranker-eval-ann");
        // No background refresh while loading: the commit flushes one segment whose graph is built by insertion in one
        // pass. Refreshes during the load would flush segments at timing-dependent points, and merging their graphs
        // (Lucene 10 joins them) gives a recall that varies from run to run (0.92-0.95 here against 0.962).
        try (CatalogIndex index = new CatalogIndex(tmp, dim, similarity, vq, Integer.MAX_VALUE)) {
            long t0 = System.nanoTime();
            List<Item> items = new ArrayList<>(baseVectors.size());
            for (int i = 0; i < baseVectors.size(); i++) items.add(new Item(String.valueOf(i), "", "", Map.of(), baseVectors.get(i)));
            index.upsert(items);
            // One segment, one graph (a no-op unless the load outgrew the writer's RAM buffer).
            index.forceMerge(1);
            double buildSeconds = (System.nanoTime() - t0) / 1e9;
            VectorSource source = new VectorSource("vector", index, null, 0, List.of(), ef);
            // One warm-up pass so the timed pass measures steady state, not JIT compilation.
            run(source, queryVectors, null);
            long[] nanos = new long[queryVectors.size()];
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long cpu0 = threads.getCurrentThreadCpuTime();
            List<int[]> found = run(source, queryVectors, nanos);
            // CPU time of the timed pass (search runs on this thread): steadier than latency on a shared machine
            double cpuMicros = (threads.getCurrentThreadCpuTime() - cpu0) / 1e3 / queryVectors.size();
            double recall = 0;
            for (int q = 0; q < queryVectors.size(); q++) recall += RetrievalMetrics.overlap(found.get(q), Arrays.copyOf(truth.get(q), k));
            recall /= queryVectors.size();
            Arrays.sort(nanos);
            System.out.printf("{\"dataset\": \"%s\", \"base\": %d, \"queries\": %d, \"dimension\": %d, \"k\": %d, \"ef\": %d, "
                            + "\"quantization\": \"%s\", \"vectorization\": \"%s\", "
                            + "\"recall@%d\": %.4f, \"latencyMicros\": {\"p50\": %.1f, \"p99\": %.1f, \"mean\": %.1f}, \"cpuMicrosPerQuery\": %.1f, \"buildSeconds\": %.2f}%n",
                    base.toAbsolutePath().getParent().getFileName(), baseVectors.size(), queryVectors.size(), dim, k, ef,
                    vq.configName(), simd.provider(), k, recall,
                    nanos[nanos.length / 2] / 1e3, nanos[(int) Math.min(nanos.length - 1, Math.ceil(nanos.length * 0.99) - 1)] / 1e3,
                    Arrays.stream(nanos).average().orElse(0) / 1e3, cpuMicros, buildSeconds);
            if (minRecall != null && recall < minRecall) {
                System.err.printf("FAIL: recall@%d %.4f is below the floor %.4f%n", k, recall, minRecall);
                return 1;
            }
            return 0;
        } finally {
            deleteTree(tmp);
        }
    }

    private List<int[]> run(VectorSource source, List<float[]> queryVectors, long[] nanos) throws Exception {
        List<int[]> out = new ArrayList<>(queryVectors.size());
        for (int q = 0; q < queryVectors.size(); q++) {
            RankingContext ctx = new RankingContext(new RankRequest("eval", null, null, queryVectors.get(q), null, null, k, false, null), "eval-" + q, q);
            long t = System.nanoTime();
            List<SourceHit> hits = source.retrieve(ctx, k);
            if (nanos != null) nanos[q] = System.nanoTime() - t;
            out.add(hits.stream().mapToInt(h -> Integer.parseInt(h.id())).toArray());
        }
        return out;
    }

    static void deleteTree(Path dir) throws java.io.IOException {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
