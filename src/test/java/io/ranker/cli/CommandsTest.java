package io.ranker.cli;

import io.ranker.catalog.CatalogIndex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The commands run without the HTTP service, through the same entry point as the jar. */
class CommandsTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        System.setErr(new PrintStream(err, true));
        try {
            int code = RankerCli.execute(args);
            return new Run(code, out.toString(), err.toString());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void indexCommandLoadsJsonlAndReportsBadLines() throws Exception {
        Path file = dir.resolve("items.jsonl");
        Files.writeString(file, """
                {"id":"a","title":"first","vector":[1,0]}
                {"id":"b","title":"second","attributes":{"price":3}}
                {"id":"c","vector":[1]}
                not json
                """);
        Run r = run("index", "--file", file.toString(), "--data-dir", dir.resolve("data").toString(), "--vector-dimension", "2");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).contains("indexed 2 items");
        assertThat(r.err()).contains("line 3 /vector").contains("line 4: malformed JSON");
        try (CatalogIndex index = new CatalogIndex(dir.resolve("data/index"), 2, "cosine", 1000)) {
            assertThat(index.size()).isEqualTo(2);
        }
    }

    @Test
    void everyCommandHasHelpAndMissingDatasetsAreClear() {
        for (String[] args : new String[][]{{"--help"}, {"index", "--help"}, {"eval", "ann", "--help"}, {"eval", "bm25", "--help"}}) {
            assertThat(run(args).code()).as(String.join(" ", args)).isZero();
        }
        Run r = run("eval", "bm25", "--cranfield", dir.resolve("absent").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--cranfield " + dir.resolve("absent") + ": no such directory").contains("shared/datasets");
    }

    @Test
    void evalAnnOnASmallGeneratedSetFindsExactNeighbours() throws Exception {
        // 300 random 8-d points; brute-force ground truth computed here; HNSW at this size must be near exact.
        java.util.Random r = new java.util.Random(7);
        float[][] base = new float[300][8], queries = new float[20][8];
        for (float[] v : base) for (int i = 0; i < 8; i++) v[i] = r.nextFloat();
        for (float[] v : queries) for (int i = 0; i < 8; i++) v[i] = r.nextFloat();
        int[][] truth = new int[20][10];
        for (int q = 0; q < 20; q++) {
            final float[] qv = queries[q];
            truth[q] = java.util.stream.IntStream.range(0, 300).boxed()
                    .sorted(java.util.Comparator.comparingDouble(i -> l2(base[i], qv))).limit(10).mapToInt(Integer::intValue).toArray();
        }
        Path b = write(dir.resolve("b.fvecs"), base), q = write(dir.resolve("q.fvecs"), queries);
        Path g = dir.resolve("g.ivecs");
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(20 * 44).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int[] t : truth) { buf.putInt(10); for (int x : t) buf.putInt(x); }
        Files.write(g, buf.array());
        Run run = run("eval", "ann", "--base", b.toString(), "--queries", q.toString(), "--groundtruth", g.toString(), "--k", "10", "--min-recall", "0.95");
        assertThat(run.code()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("\"recall@10\"");
    }

    private static double l2(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
        return s;
    }

    private static Path write(Path p, float[][] vs) throws Exception {
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(vs.length * (4 + 4 * vs[0].length)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float[] v : vs) { buf.putInt(v.length); for (float x : v) buf.putFloat(x); }
        Files.write(p, buf.array());
        return p;
    }
}
