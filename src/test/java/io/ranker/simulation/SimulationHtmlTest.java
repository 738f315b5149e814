package io.ranker.simulation;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The simulation's HTML pages draw the seeds' numbers of the JSON document and count coverage of the known truth. */
class SimulationHtmlTest {
    static Map<String, Object> seed(long seed, double value, double lo, double hi) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seed", seed);
        m.put("estimates", Map.of("snips", Map.of("value", value, "ci95", List.of(lo, hi))));
        return m;
    }

    @Test
    void opeRowsAreTheSeedsEstimatesAndCoverageIsCountedAgainstTheTruth() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("settings", Map.of("world", "<demo & co>"));
        doc.put("truth", Map.of("loggingA", 0.05, "targetB", 0.061));
        doc.put("seeds", List.of(seed(1, 0.0601, 0.055, 0.065), seed(2, 0.0702, 0.066, 0.074), seed(3, 0.0589, 0.052, 0.0611)));
        String html = SimulationHtml.ope(doc);
        assertThat(html).contains("<svg").contains("2 of 3 intervals cover the true value").contains("&lt;demo &amp; co&gt;")
                .doesNotContain("<demo").doesNotContain("<script");
        Matcher m = Pattern.compile("<g class=\"row\" data-label=\"seed (\\d)\" data-series=\"(\\d)\" data-value=\"([^\"]*)\" data-lo=\"([^\"]*)\" data-hi=\"([^\"]*)\"").matcher(html);
        StringBuilder rows = new StringBuilder();
        while (m.find()) rows.append(m.group(1)).append(':').append(m.group(2)).append(':').append(m.group(3)).append(':').append(m.group(4)).append(':').append(m.group(5)).append(' ');
        assertThat(rows.toString().trim()).isEqualTo("1:0:0.0601:0.055:0.065 2:1:0.0702:0.066:0.074 3:0:0.0589:0.052:0.0611");
        assertThat(html).contains("0.06010 [0.05500, 0.06500]"); // printed as well as drawn
    }

    @Test
    void trainingShowsTheMeanDifferenceAgainstZeroAndEverySeed() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("settings", Map.of("seeds", 2));
        doc.put("summary", Map.of("differenceMean", 0.004, "differenceCi95", List.of(0.001, 0.007), "weightedWins", 2, "seeds", 2));
        doc.put("seeds", List.of(Map.of("seed", 1, "naive", 0.05, "weighted", 0.053), Map.of("seed", 2, "naive", 0.051, "weighted", 0.056)));
        String html = SimulationHtml.training(doc);
        assertThat(html).contains("data-label=\"weighted − naive\" data-series=\"0\" data-value=\"0.004\" data-lo=\"0.001\" data-hi=\"0.007\"")
                .contains("data-label=\"seed 2 · weighted\" data-series=\"0\" data-value=\"0.056\"")
                .contains("class=\"zero\"").contains("+0.00400 [+0.00100, +0.00700]");
    }
}
