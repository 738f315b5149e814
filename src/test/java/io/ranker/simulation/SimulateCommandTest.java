package io.ranker.simulation;

import io.ranker.cli.RankerCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class SimulateCommandTest {
    @TempDir
    Path dir;

    @Test
    void helpAndBadInput() {
        assertThat(RankerCli.execute("simulate", "--help")).isZero();
        assertThat(RankerCli.execute("train", "--help")).isZero();
        assertThat(RankerCli.execute("simulate", "--experiment", "ope", "--out", dir.toString(),
                "--config-dir", dir.resolve("missing").toString())).isEqualTo(2);
        assertThat(RankerCli.execute("simulate", "--experiment", "ope", "--out", dir.toString(), "--seeds", "0")).isEqualTo(2);
        assertThat(RankerCli.execute("simulate", "--experiment", "ope", "--out", dir.toString(),
                "--movielens", dir.resolve("no-such-dataset").toString())).isEqualTo(2);
        assertThat(RankerCli.execute("train", "--data-dir", dir.toString(), "--surface", "feed")).isEqualTo(2);
        assertThat(RankerCli.execute("train", "--data-dir", dir.toString(), "--surface", "feed", "--ips", "--naive")).isEqualTo(2);
    }
}
