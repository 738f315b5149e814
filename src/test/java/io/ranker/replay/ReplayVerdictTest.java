package io.ranker.replay;

import io.ranker.replay.ope.Estimate;
import io.ranker.replay.ope.OpeReport;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ReplayVerdictTest {

    private static OpeReport report(double coverage, double unsupportedValue, double prefixCoverage, double prefixValue,
                                    double weakValue, double weakClicks) {
        Estimate e = new Estimate(0.02, 0.018, 0.022);
        Map<String, Estimate> est = new LinkedHashMap<>();
        for (String k : List.of("ips", "snips", "dm", "dr", "switch_dr", "rips")) est.put(k, e);
        return new OpeReport(est, 1000, 20000, 0.02, e, 5000, 50, 1, 0, 0.01, coverage, List.of(), unsupportedValue,
                prefixCoverage, prefixValue, List.of(0.3, 0.2, 0.01), weakValue, weakClicks, List.of());
    }

    private static Map<String, Estimate> change(double lo, double hi) {
        Map<String, Estimate> m = new LinkedHashMap<>();
        for (String k : List.of("ips", "snips", "dm", "dr", "switch_dr", "rips")) m.put(k, new Estimate((lo + hi) / 2, lo, hi));
        return m;
    }

    @Test
    void aChangeOfTheProtectedFirstPositionLeavesOutIpsSnipsAndTheCascadeEstimator() {
        OpeReport c = report(0.95, 0.006, 0.59, 0.011, 0.0, 100);
        Map<String, Object> v = ReplayVerdict.json(true, c, c, change(0.001, 0.006));
        assertThat(v.get("estimator")).isEqualTo("dr");
        assertThat(v.get("direction")).isEqualTo("better");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> excluded = (List<Map<String, Object>>) v.get("excluded");
        assertThat(excluded).extracting(m -> m.get("estimator")).containsExactly("ips", "snips", "dm", "rips");
        assertThat(excluded.get(0).get("why").toString()).contains("position 1: 30.0% of lists").contains("never shows");
        assertThat(v.get("summary").toString()).startsWith("The candidate is likely better");
    }

    @Test
    void weakSupportLeavesOutDrForSwitchDrAndAnIntervalAroundZeroCannotBeToldApart() {
        OpeReport c = report(1.0, 0.0, 1.0, 0.0, 0.003, 2);
        Map<String, Object> v = ReplayVerdict.json(true, c, c, change(-0.002, 0.001));
        assertThat(v.get("estimator")).isEqualTo("switch_dr");
        assertThat(v.get("direction")).isEqualTo("cannot be told apart");
        assertThat(v.get("excluded").toString()).contains("dr").contains("about 2 clicks");
    }

    @Test
    void fullSupportKeepsEveryImportanceWeightedEstimator() {
        OpeReport c = report(1.0, 0.0, 1.0, 0.0, 0.0, 500);
        Map<String, Object> v = ReplayVerdict.json(true, c, c, change(-0.004, -0.001));
        assertThat(v.get("estimator")).isEqualTo("dr");
        assertThat(v.get("direction")).isEqualTo("worse");
        assertThat(v.get("excluded").toString()).doesNotContain("ips").doesNotContain("rips");
        assertThat(ReplayVerdict.json(false, c, c, change(0, 0)).get("direction")).isEqualTo("no change");
    }
}
