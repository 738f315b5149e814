package io.ranker.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ranker.cli.RankerCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code train} on a log served through the pipeline with a protected first position and a 30% mixture (issue 19):
 * position bias comes from the logging policy's own randomisation (position 1, never randomised, is not identified
 * instead of being compared with a whole pool), exploredShare is the share of explored lists, and the new model is
 * judged off-policy by a replay of the held-out period with the replay's verdict, not by a model-only ranking.
 */
class TrainOnServedLogTest {

    @Test
    @SuppressWarnings("unchecked")
    void examinationFromTheRandomisationAndTheNewModelJudgedByAReplay(@TempDir Path root) throws Exception {
        ServedLog served = new ServedLog(root);
        served.serve(1500, 21, 1.0);
        Path out = root.resolve("train-out");
        int code = RankerCli.execute("train", "--data-dir", served.dataDir.toString(), "--config-dir",
                served.configDir.toString(), "--surface", "feed", "--ips", "--objective", "reg:squarederror",
                "--rounds", "30", "--test-fraction", "0.3", "--out", out.toString());
        assertThat(code).isZero();
        Map<String, Object> report = new ObjectMapper().readValue(out.resolve("metrics.json").toFile(), Map.class);

        Map<String, Object> exam = (Map<String, Object>) report.get("examination");
        System.out.println("TrainOnServedLogTest examination: " + exam.get("positions") + " powerLaw " + exam.get("powerLaw")
                + " exploredShare " + exam.get("exploredShare") + "; verdict: "
                + ((Map<String, Object>) ((Map<String, Object>) report.get("offPolicy")).get("verdict")).get("summary"));
        // the explore branch draws 30% of lists; "any propensity below 1" read 1.0 on a mixture
        assertThat(((Number) exam.get("exploredShare")).doubleValue()).isBetween(0.25, 0.35);
        List<Map<String, Object>> positions = (List<Map<String, Object>>) exam.get("positions");
        assertThat(positions.get(0).get("identified")).as("protected position 1").isEqualTo(false);
        assertThat(positions.get(0).get("why").toString()).contains("never randomised");
        long identified = positions.stream().filter(p -> Boolean.TRUE.equals(p.get("identified"))).count();
        assertThat(identified).as("free positions identified").isGreaterThanOrEqualTo(5);
        // planted exam(k) = k^-0.7 for k >= 2: the fitted exponent is near it, every ratio below 1 past the reference
        double eta = ((Number) ((Map<String, Object>) exam.get("powerLaw")).get("eta")).doubleValue();
        assertThat(eta).isBetween(0.35, 1.1);
        for (Map<String, Object> p : positions) {
            if (!Boolean.TRUE.equals(p.get("identified"))) continue;
            int k = ((Number) p.get("position")).intValue();
            int ref = ((Number) exam.get("reference")).intValue();
            double truth = Math.pow((double) k / ref, -0.7);
            double ratio = ((Number) p.get("relativeToReference")).doubleValue();
            assertThat(Math.abs(Math.log(ratio / truth))).as("position %d: %s vs truth %s", k, ratio, truth).isLessThan(0.7);
        }

        Map<String, Object> ope = (Map<String, Object>) report.get("offPolicy");
        assertThat(ope.get("note").toString()).contains("replay --model");
        Map<String, Object> verdict = (Map<String, Object>) ope.get("verdict");
        assertThat(verdict.get("summary").toString()).startsWith("The candidate");
        assertThat(ope).containsKeys("change", "diagnostics");
        assertThat(((Number) ope.get("impressionsReplayed")).longValue()).isGreaterThan(300);
        Map<String, Object> test = (Map<String, Object>) report.get("test");
        assertThat(test).containsKeys("debiased", "loggedFeedback");
    }
}
