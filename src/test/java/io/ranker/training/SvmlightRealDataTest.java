package io.ranker.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ranker.cli.RankerCli;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code train --format svmlight} on LightGBM's lambdarank example beside the checkout (skipped when absent):
 * test NDCG must clear the floors LightGBM's own test asserts for 50 trees (NDCG@1 > 0.5674, NDCG@3 > 0.578).
 */
class SvmlightRealDataTest {
    private static final Path LTR = Path.of(System.getProperty("ranker.datasets",
            System.getenv().getOrDefault("RANKER_DATASETS", "../shared/datasets")),
            "lightgbm-lambdarank");

    @TempDir
    Path dir;

    @Test
    void trainsAComparableRanker() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(LTR), "dataset absent: " + LTR.toAbsolutePath());
        int code = RankerCli.execute("train", "--format", "svmlight",
                "--train", LTR.resolve("rank.train").toString(), "--train-groups", LTR.resolve("rank.train.query").toString(),
                "--test", LTR.resolve("rank.test").toString(), "--test-groups", LTR.resolve("rank.test.query").toString(),
                "--out", dir.toString(), "--expect-min", "ndcg@1=0.5674", "--expect-min", "ndcg@3=0.578");
        assertThat(code).isEqualTo(0);
        JsonNode metrics = new ObjectMapper().readTree(dir.resolve("metrics.json").toFile());
        assertThat(metrics.at("/test").fieldNames()).toIterable()
                .containsExactly("ndcg@1", "ndcg@3", "ndcg@5", "ndcg@10");
        assertThat(metrics.at("/test/ndcg@10").asDouble()).isBetween(0.6, 1.0);
        assertThat(Files.size(dir.resolve("model.json"))).isGreaterThan(1000);
        assertThat(Files.readAllLines(dir.resolve("test-predictions.txt"))).hasSize(768);
    }

    @Test
    void missingInputsAreClearErrors() {
        assertThat(RankerCli.execute("train", "--format", "svmlight", "--train", dir.resolve("nope").toString(),
                "--train-groups", "x", "--test", "y", "--test-groups", "z", "--out", dir.toString())).isEqualTo(2);
        assertThat(RankerCli.execute("train", "--format", "svmlight", "--out", dir.toString())).isEqualTo(2);
    }
}
