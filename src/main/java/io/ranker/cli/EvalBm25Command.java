package io.ranker.cli;

import io.ranker.catalog.CatalogIndex;
import io.ranker.core.Item;
import io.ranker.core.RankRequest;
import io.ranker.core.RankingContext;
import io.ranker.core.SourceHit;
import io.ranker.retrieval.Bm25Source;
import io.ranker.retrieval.eval.Cranfield;
import io.ranker.retrieval.eval.RetrievalMetrics;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** nDCG@10 and recall@100 of the BM25 source on the Cranfield collection, through the serving code. */
@Command(name = "bm25", mixinStandardHelpOptions = true,
        description = "nDCG@10 and recall@100 of the BM25 source on the Cranfield collection.")
public class EvalBm25Command implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--cranfield", required = true, description = "directory with cran.all.1400, cran.qry, cranqrel")
    Path dir;
    @Option(names = "--title-boost", defaultValue = "1.0", description = "boost of the title field (default ${DEFAULT-VALUE})")
    float titleBoost;
    @Option(names = "--min-ndcg", description = "exit with status 1 when nDCG@10 is below this")
    Double minNdcg;

    @Override
    public Integer call() throws Exception {
        Cranfield cran = Cranfield.load(Datasets.existingDir(spec, dir, "--cranfield"));
        Path tmp = Files.createTempDirectory("ranker-eval-bm25");
        try (CatalogIndex index = new CatalogIndex(tmp, 2, "cosine", 1000)) {
            List<Item> items = new ArrayList<>();
            for (Cranfield.Doc d : cran.docs()) items.add(new Item(d.id(), d.title(), d.text(), Map.of(), null));
            index.upsert(items);
            index.refresh();
            Bm25Source bm25 = new Bm25Source("bm25", index, Map.of("title", titleBoost, "text", 1.0f), List.of());
            double ndcg = 0, recall = 0;
            int judged = 0;
            long[] nanos = new long[cran.queries().size()];
            int qi = 0;
            for (Cranfield.Query q : cran.queries()) {
                RankingContext ctx = new RankingContext(new RankRequest("eval", null, q.text(), null, null, null, 100, false, null), "eval", 0);
                long t = System.nanoTime();
                List<SourceHit> hits = bm25.retrieve(ctx, 100);
                nanos[qi++] = System.nanoTime() - t;
                Map<String, Integer> rel = cran.judgements(q.number());
                if (rel.isEmpty()) continue;
                List<String> ids = hits.stream().map(SourceHit::id).toList();
                ndcg += RetrievalMetrics.ndcg(ids, rel, 10);
                recall += RetrievalMetrics.recall(ids, rel.keySet(), 100);
                judged++;
            }
            ndcg /= judged;
            recall /= judged;
            Arrays.sort(nanos);
            System.out.printf("{\"dataset\": \"cranfield\", \"docs\": %d, \"queries\": %d, \"judgedQueries\": %d, \"ndcg@10\": %.4f, "
                            + "\"recall@100\": %.4f, \"latencyMicros\": {\"p50\": %.1f, \"p99\": %.1f}}%n",
                    cran.docs().size(), cran.queries().size(), judged, ndcg, recall, nanos[nanos.length / 2] / 1e3,
                    nanos[(int) Math.ceil(nanos.length * 0.99) - 1] / 1e3);
            if (minNdcg != null && ndcg < minNdcg) {
                System.err.printf("FAIL: nDCG@10 %.4f is below the floor %.4f%n", ndcg, minNdcg);
                return 1;
            }
            return 0;
        } finally {
            EvalAnnCommand.deleteTree(tmp);
        }
    }
}
