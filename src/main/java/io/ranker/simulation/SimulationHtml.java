package io.ranker.simulation;

import io.ranker.report.Html;
import io.ranker.report.Svg;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A simulation's result as one self-contained HTML page ({@code ope.html}, {@code training.html}) next to its JSON,
 * rendered from the same document. Off-policy: per estimator, every seed's estimate and 95% interval against the
 * known true value of the target policy (the dashed line), so coverage and bias can be seen. Training: the naive and
 * the propensity-weighted model's true CTR per seed, and the mean difference with its interval against zero.
 */
final class SimulationHtml {
    private SimulationHtml() {
    }

    @SuppressWarnings("unchecked")
    static String ope(Map<String, Object> doc) {
        Map<String, Object> truth = (Map<String, Object>) doc.get("truth");
        Double target = dbl(truth.get("targetB"));
        List<Map<String, Object>> seeds = (List<Map<String, Object>>) doc.get("seeds");
        StringBuilder b = header("Off-policy estimation against a known truth", doc);
        b.append("<p>True value per slot: logging policy A ").append(value(truth.get("loggingA"))).append(", target policy B <strong>")
                .append(value(target)).append("</strong> (dashed line). Each row is one seed's estimate of B from A's logs with its 95% "
                        + "bootstrap interval; about 95% of the intervals of an unbiased estimator should cross the line.</p>\n");
        List<String> names = seeds.isEmpty() ? List.of() : new ArrayList<>(((Map<String, Object>) seeds.get(0).get("estimates")).keySet());
        for (String name : names) {
            List<Svg.Interval> rows = new ArrayList<>();
            int covers = 0;
            for (Map<String, Object> seed : seeds) {
                Map<String, Object> e = (Map<String, Object>) ((Map<String, Object>) seed.get("estimates")).get(name);
                if (e == null) continue;
                List<Object> ci = (List<Object>) e.get("ci95");
                Double lo = dbl(ci.get(0)), hi = dbl(ci.get(1));
                boolean cover = lo != null && hi != null && target != null && lo <= target && target <= hi;
                if (cover) covers++;
                rows.add(new Svg.Interval("seed " + seed.get("seed"), cover ? 0 : 1, dbl(e.get("value")), lo, hi));
            }
            b.append("<h2>").append(Html.escape(name)).append("</h2>\n<p class=\"hint\">").append(covers).append(" of ").append(rows.size())
                    .append(" intervals cover the true value (blue: covers, brown: misses).</p>\n");
            b.append(Svg.intervals(name + ": estimate of the target policy's value per seed, with 95% intervals; truth dashed",
                    rows, target, SimulationHtml::value));
        }
        return Html.page("Simulation: off-policy estimation", b.toString());
    }

    @SuppressWarnings("unchecked")
    static String training(Map<String, Object> doc) {
        Map<String, Object> summary = (Map<String, Object>) doc.get("summary");
        List<Map<String, Object>> seeds = (List<Map<String, Object>>) doc.get("seeds");
        StringBuilder b = header("Training on logged clicks: naive vs propensity-weighted", doc);
        List<Object> ci = (List<Object>) summary.get("differenceCi95");
        b.append("<h2>Mean difference (weighted minus naive)</h2>\n<p class=\"hint\">True CTR of the two models, paired over ")
                .append(Html.escape(summary.get("seeds"))).append(" seeds; the weighted model won ").append(Html.escape(summary.get("weightedWins")))
                .append(". The interval is a t interval over the seeds.</p>\n");
        b.append(Svg.intervals("Mean true-CTR difference, weighted minus naive, with its 95% interval",
                List.of(new Svg.Interval("weighted − naive", 0, dbl(summary.get("differenceMean")), dbl(ci.get(0)), dbl(ci.get(1)))),
                0.0, SimulationHtml::signed));
        List<Svg.Interval> rows = new ArrayList<>();
        for (Map<String, Object> seed : seeds) {
            rows.add(new Svg.Interval("seed " + seed.get("seed") + " · naive", 1, dbl(seed.get("naive")), null, null));
            rows.add(new Svg.Interval("seed " + seed.get("seed") + " · weighted", 0, dbl(seed.get("weighted")), null, null));
        }
        b.append("<h2>Per seed</h2>\n<p class=\"hint\">True CTR of each trained model (blue: weighted, brown: naive).</p>\n");
        b.append(Svg.intervals("True CTR per seed of the naive and the weighted model", rows, null, SimulationHtml::value));
        return Html.page("Simulation: training on logged clicks", b.toString());
    }

    @SuppressWarnings("unchecked")
    private static StringBuilder header(String title, Map<String, Object> doc) {
        Map<String, Object> settings = (Map<String, Object>) doc.get("settings");
        StringBuilder b = new StringBuilder("<h1>").append(Html.escape(title)).append("</h1>\n<table>\n");
        settings.forEach((k, v) -> b.append("<tr><th>").append(Html.escape(k)).append("</th><td>").append(Html.escape(v)).append("</td></tr>\n"));
        return b.append("</table>\n");
    }

    private static Double dbl(Object v) {
        return v instanceof Number n ? n.doubleValue() : null;
    }

    private static String value(Object v) {
        return v instanceof Number n ? value(n.doubleValue()) : "n/a";
    }

    private static String value(double v) {
        return String.format(Locale.ROOT, "%.5f", v);
    }

    private static String signed(double v) {
        return v == 0 ? "0" : String.format(Locale.ROOT, "%+.5f", v);
    }
}
