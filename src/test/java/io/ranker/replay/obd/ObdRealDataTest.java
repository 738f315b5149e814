package io.ranker.replay.obd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ranker.cli.RankerCli;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code eval obd} on the Open Bandit Dataset sample beside the checkout (skipped when absent), checked against an
 * independent recomputation from the CSV: IPS, SNIPS, ESS and the logged CTR recomputed here with a plain split
 * of each line and the action distribution the command wrote.
 */
class ObdRealDataTest {
    private static final Path OBD = Path.of(System.getProperty("ranker.datasets",
            System.getenv().getOrDefault("RANKER_DATASETS", "../shared/datasets")),
            "open-bandit-men");

    @TempDir
    Path dir;

    @Test
    void estimatesOfBtsFromRandomLogsMatchAnIndependentComputation() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(OBD), "dataset absent: " + OBD.toAbsolutePath());
        Path out = dir.resolve("obd.json");
        int code = RankerCli.execute("eval", "obd", "--logged", OBD.resolve("random/men.csv").toString(),
                "--item-context", OBD.resolve("random/item_context.csv").toString(),
                "--prior", OBD.resolve("prior_bts.yaml").toString(), "--campaign", "men",
                "--out", out.toString(), "--expect-range", "0.002:0.012");
        assertThat(code).isEqualTo(0);
        JsonNode json = new ObjectMapper().readTree(out.toFile());
        JsonNode dist = json.at("/policy/actionDist");

        List<String> lines = Files.readAllLines(OBD.resolve("random/men.csv"));
        double num = 0, wSum = 0, wSq = 0, clicks = 0;
        int n = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            int item = Integer.parseInt(f[2]);
            int position = Integer.parseInt(f[3]);
            double click = Double.parseDouble(f[4]);
            double w = dist.get(item).get(position - 1).asDouble() / Double.parseDouble(f[5]);
            num += click * w;
            wSum += w;
            wSq += w * w;
            clicks += click;
            n++;
        }
        assertThat(n).isEqualTo(10_000);
        assertThat(json.at("/estimates/ips/value").asDouble()).isCloseTo(num / n, within(1e-12));
        assertThat(json.at("/estimates/snips/value").asDouble()).isCloseTo(num / wSum, within(1e-12));
        assertThat(json.at("/ess").asDouble()).isCloseTo(wSum * wSum / wSq, within(1e-6));
        assertThat(json.at("/loggedValue").asDouble()).isCloseTo(0.0046, within(1e-12));
        assertThat(clicks).isEqualTo(46);
        // each position's action distribution is a probability distribution over the 34 items
        for (int k = 0; k < 3; k++) {
            double col = 0;
            for (int a = 0; a < 34; a++) {
                col += dist.get(a).get(k).asDouble();
            }
            assertThat(col).isCloseTo(1.0, within(1e-9));
        }
        // each interval brackets its estimate
        for (String e : List.of("ips", "snips", "dr")) {
            JsonNode ci = json.at("/estimates/" + e + "/ci95");
            assertThat(ci.get(0).asDouble()).isLessThan(json.at("/estimates/" + e + "/value").asDouble());
            assertThat(ci.get(1).asDouble()).isGreaterThan(json.at("/estimates/" + e + "/value").asDouble());
        }
    }
}
