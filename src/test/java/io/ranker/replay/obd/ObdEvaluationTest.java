package io.ranker.replay.obd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ranker.cli.RankerCli;
import io.ranker.replay.ope.LogisticRewardModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code eval obd} on tiny CSVs whose estimates are worked out by hand (the policy is deterministic, see
 * {@link SeparatedPriors}: items 2, 0, 3 at positions 1, 2, 3).
 */
class ObdEvaluationTest {
    private static final String HEADER = ",timestamp,item_id,position,click,propensity_score,user_feature_0,"
            + "user-item_affinity_0,user-item_affinity_1,user-item_affinity_2,user-item_affinity_3\n";

    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    private Path itemContext() throws Exception {
        return write("item_context.csv", ",item_id,item_feature_0\n0,0,0.1\n1,1,0.2\n2,2,0.3\n3,3,0.4\n");
    }

    private int run(Path logged, Path out, String... extra) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("eval", "obd", "--logged", logged.toString(),
                "--item-context", itemContext().toString(), "--prior", write("prior.yaml",
                        SeparatedPriors.yaml()).toString(), "--campaign", "t", "--out", out.toString(),
                "--bootstrap", "200", "--folds", "2"));
        args.addAll(List.of(extra));
        return RankerCli.execute(args.toArray(String[]::new));
    }

    @Test
    void handComputedIpsSnipsAndEss() throws Exception {
        // rows: (item, position, click, propensity) -> target propensity, weight w, w*click
        Path logged = write("log.csv", HEADER
                + "0,t,2,1,1,0.5,a,0,0,1,0\n"   // pi_e 1 -> w 2, 2
                + "1,t,0,2,0,0.25,b,0,0,0,0\n"  // pi_e 1 -> w 4, 0
                + "2,t,0,1,1,0.5,a,0,0,0,0\n"   // pi_e 0 -> w 0, 0
                + "3,t,3,3,1,0.2,b,0,0,0,2\n"   // pi_e 1 -> w 5, 5
                + "4,t,1,2,0,0.25,a,0,0,0,0\n"); // pi_e 0 -> w 0, 0
        Path out = dir.resolve("out.json");
        assertThat(run(logged, out)).isEqualTo(0);
        JsonNode json = new ObjectMapper().readTree(out.toFile());
        assertThat(json.at("/estimates/ips/value").asDouble()).isCloseTo(7.0 / 5, within(1e-12));
        assertThat(json.at("/estimates/snips/value").asDouble()).isCloseTo(7.0 / 11, within(1e-12));
        assertThat(json.at("/ess").asDouble()).isCloseTo(121.0 / 45, within(1e-12));
        assertThat(json.at("/loggedValue").asDouble()).isCloseTo(3.0 / 5, within(1e-12));
        assertThat(json.at("/supportCoverage").asDouble()).isCloseTo(1.0, within(1e-12));
        assertThat(json.at("/estimates/ips/ci95").size()).isEqualTo(2);
        assertThat(json.at("/estimates/dr/ci95/0").asDouble()).isLessThanOrEqualTo(json.at("/estimates/dr/ci95/1").asDouble());
        assertThat(json.at("/policy/actionDist/2/0").asDouble()).isEqualTo(1.0);
    }

    @Test
    void drMatchesItsDefinitionWithTheCrossFittedModel() throws Exception {
        Path logged = write("log.csv", HEADER
                + "0,t,2,1,1,0.5,a,0,0,1,0\n1,t,0,2,0,0.25,b,0,0,0,0\n2,t,0,1,1,0.5,a,0,0,0,0\n"
                + "3,t,3,3,1,0.2,b,0,0,0,2\n4,t,1,2,0,0.25,a,0,0,0,0\n5,t,2,1,0,0.5,b,0,0,0,0\n");
        List<ObdRow> rows = ObdLogReader.read(logged, 4);
        double[][] q = ObdEvaluation.crossFittedPredictions(rows, 4, 3, 2, 12345);
        int[] target = {2, 0, 3}; // the item the policy shows at each position
        double dr = 0;
        for (int i = 0; i < rows.size(); i++) {
            ObdRow r = rows.get(i);
            int k = r.position() - 1;
            double piE = r.itemId() == target[k] ? 1 : 0;
            dr += q[i][target[k]] + piE / r.propensity() * (r.click() - q[i][r.itemId()]);
        }
        Path out = dir.resolve("out.json");
        assertThat(run(logged, out, "--seed", "12345")).isEqualTo(0);
        JsonNode json = new ObjectMapper().readTree(out.toFile());
        assertThat(json.at("/estimates/dr/value").asDouble()).isCloseTo(dr / rows.size(), within(1e-12));
        assertThat(json.at("/estimates/ips/value").asDouble()).isCloseTo((2 + 5) / 6.0, within(1e-12));
        for (double[] row : q) {
            for (double v : row) {
                assertThat(v).isBetween(0.0, 1.0);
            }
        }
    }

    @Test
    void lowSupportIsReportedAsAWarning() throws Exception {
        // the target shows item 0 at position 2, which these logs never show there
        Path logged = write("log.csv", HEADER + "0,t,2,1,1,0.5,a,0,0,1,0\n1,t,1,2,0,0.25,b,0,0,0,0\n");
        Path out = dir.resolve("out.json");
        assertThat(run(logged, out)).isEqualTo(0);
        JsonNode json = new ObjectMapper().readTree(out.toFile());
        assertThat(json.at("/supportCoverage").asDouble()).isCloseTo(0.5, within(1e-12));
        assertThat(json.at("/warnings/0").asText()).startsWith("support coverage 0.500");
    }

    @Test
    void badPropensityMissingFileAndUnknownCampaignAreClearErrors() throws Exception {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true));
        try {
            Path zero = write("zero.csv", HEADER + "0,t,2,1,1,0.5,a,0,0,1,0\n1,t,0,2,0,0,b,0,0,0,0\n");
            assertThat(run(zero, dir.resolve("o.json"))).isEqualTo(2);
            assertThat(captured.toString()).contains("record 1 (line 3)").contains("outside (0, 1]");
            captured.reset();
            assertThat(run(dir.resolve("absent.csv"), dir.resolve("o.json"))).isEqualTo(2);
            assertThat(captured.toString()).contains("--logged").contains("no such file").contains("absent.csv");
            captured.reset();
            Path ok = write("ok.csv", HEADER + "0,t,2,1,1,0.5,a,0,0,1,0\n");
            int code = RankerCli.execute("eval", "obd", "--logged", ok.toString(), "--item-context",
                    itemContext().toString(), "--prior", write("p.yaml", SeparatedPriors.yaml()).toString(),
                    "--campaign", "women", "--out", dir.resolve("o.json").toString());
            assertThat(code).isEqualTo(2);
            assertThat(captured.toString()).contains("no campaign 'women'").contains("[t, other]");
            captured.reset();
            Path badItem = write("bad.csv", HEADER + "0,t,7,1,1,0.5,a,0,0,1,0\n");
            assertThat(run(badItem, dir.resolve("o.json"))).isEqualTo(2);
            assertThat(captured.toString()).contains("line 2").contains("item_id 7");
        } finally {
            System.setErr(err);
        }
        assertThat(Files.exists(dir.resolve("o.json"))).isFalse();
    }

    @Test
    void expectRangeFailsTheRunOutsideTheBand() throws Exception {
        Path logged = write("log.csv", HEADER + "0,t,2,1,1,0.5,a,0,0,1,0\n1,t,0,2,0,0.25,b,0,0,0,0\n");
        assertThat(run(logged, dir.resolve("a.json"), "--expect-range", "-10:10")).isEqualTo(0);
        assertThat(run(logged, dir.resolve("b.json"), "--expect-range", "5:10")).isEqualTo(3);
    }

    @Test
    void logisticModelRecoversAKnownLogit() {
        // labels are the exact probabilities of logit = -1 + 2 x (x one-hot): the unpenalized fit recovers them
        List<LogisticRewardModel.Row> rows = List.of(
                new LogisticRewardModel.Row(new int[]{0}, new double[]{1}, 1 / (1 + Math.exp(1))),
                new LogisticRewardModel.Row(new int[]{0, 1}, new double[]{1, 1}, 1 / (1 + Math.exp(-1))));
        LogisticRewardModel m = LogisticRewardModel.fit(rows, 2, 0.0);
        assertThat(m.predict(new int[]{0}, new double[]{1})).isCloseTo(1 / (1 + Math.exp(1)), within(1e-9));
        assertThat(m.predict(new int[]{0, 1}, new double[]{1, 1})).isCloseTo(1 / (1 + Math.exp(-1)), within(1e-9));
        // a penalty shrinks the item effect toward the intercept
        LogisticRewardModel shrunk = LogisticRewardModel.fit(rows, 2, 10.0);
        assertThat(shrunk.predict(new int[]{0, 1}, new double[]{1, 1})).isLessThan(1 / (1 + Math.exp(-1)));
    }
}
