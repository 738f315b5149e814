package io.ranker.replay;

import io.ranker.report.Html;
import io.ranker.report.Svg;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The replay report as one self-contained HTML page ({@code replay.html}) with SVG charts: the off-policy estimates
 * with their 95% intervals (candidate vs logged policy), the paired change with its interval, and the exposure
 * shift by attribute. Rendered from the JSON document, like {@link ReplayMarkdown}, so the figures never disagree.
 */
final class ReplayHtml {
    private ReplayHtml() {
    }

    @SuppressWarnings("unchecked")
    static String render(Map<String, Object> r) {
        Map<String, Object> cand = (Map<String, Object>) r.get("candidate");
        Map<String, Object> input = (Map<String, Object>) r.get("input");
        Map<String, Object> repro = (Map<String, Object>) r.get("reproduction");
        Map<String, Object> changes = (Map<String, Object>) r.get("rankingChanges");
        Map<String, Object> ope = (Map<String, Object>) r.get("offPolicy");
        Map<String, Object> target = (Map<String, Object>) ope.get("candidate");
        Map<String, Object> logged = (Map<String, Object>) ope.get("logged");
        StringBuilder b = new StringBuilder();
        b.append("<h1>Replay of surface <code>").append(Html.escape(r.get("surface"))).append("</code></h1>\n<p>Range: ")
                .append(Html.escape(or(r.get("from"), "start of log"))).append(" to ").append(Html.escape(or(r.get("to"), "end of log")))
                .append("<br>Candidate: model <code>").append(Html.escape(cand.get("model"))).append("</code>, policy <code>")
                .append(Html.escape(cand.get("policy"))).append("</code>, explorer <code>").append(Html.escape(cand.get("explorer")))
                .append("</code></p>\n");
        List<String> warnings = (List<String>) r.get("warnings");
        if (!warnings.isEmpty()) {
            b.append("<div class=\"warn\"><strong>Warnings</strong><ul>\n");
            for (String w : warnings) b.append("<li>").append(Html.escape(w)).append("</li>\n");
            b.append("</ul></div>\n");
        }
        b.append("<p>").append(Html.escape(input.get("impressionsReplayed"))).append(" impressions replayed; the replay reproduced ")
                .append(ReplayMarkdown.pct(repro.get("shareReproduced"))).append(" of the logged lists. Lists changed by the candidate: <strong>")
                .append(ReplayMarkdown.pct(changes.get("shareChanged"))).append("</strong> (Kendall tau ")
                .append(ReplayMarkdown.num(changes.get("kendallTau"))).append(").</p>\n");

        b.append("<h2>Off-policy estimates</h2>\n<p class=\"hint\">").append(Html.escape(ope.get("estimand")))
                .append(". Points are estimates, lines their 95% bootstrap intervals (").append(Html.escape(ope.get("bootstrapReplicates")))
                .append(" replicates).</p>\n<p class=\"legend\"><span><i style=\"background:#1f6feb\"></i>candidate</span>")
                .append("<span><i style=\"background:#8a5a00\"></i>logged policy</span><span><i style=\"background:#2e7d32\"></i>observed (logged lists)</span></p>\n");
        Map<String, Object> te = (Map<String, Object>) target.get("estimates");
        Map<String, Object> le = (Map<String, Object>) logged.get("estimates");
        List<Svg.Interval> rows = new ArrayList<>();
        for (String k : te.keySet()) {
            rows.add(interval(ReplayReport.estimatorLabel(k) + " · candidate", 0, (Map<String, Object>) te.get(k)));
            if (le.get(k) != null) rows.add(interval(ReplayReport.estimatorLabel(k) + " · logged", 1, (Map<String, Object>) le.get(k)));
        }
        rows.add(interval("observed · logged lists", 2, (Map<String, Object>) logged.get("loggedValue")));
        b.append(Svg.intervals("Estimated mean reward per shown slot, candidate vs logged policy, with 95% intervals", rows, null, ReplayHtml::value));

        Map<String, Object> change = (Map<String, Object>) ope.get("change");
        List<Svg.Interval> diffs = new ArrayList<>();
        change.forEach((k, v) -> {
            Map<String, Object> d = (Map<String, Object>) v;
            List<Object> ci = (List<Object>) d.get("differenceCi95");
            diffs.add(new Svg.Interval(ReplayReport.estimatorLabel(k), 0, dbl(d.get("difference")),
                    ci == null ? null : dbl(ci.get(0)), ci == null ? null : dbl(ci.get(1))));
        });
        if (!diffs.isEmpty()) {
            b.append("<h2>Change: candidate minus logged policy</h2>\n<p class=\"hint\">Paired bootstrap (both policies judged on the same "
                    + "logged impressions): an interval that crosses the dashed zero line means the data cannot tell the direction.</p>\n");
            b.append(Svg.intervals("Estimated change in mean reward per shown slot, with paired 95% intervals", diffs, 0.0, ReplayHtml::signed));
        }

        b.append("<h2>Exposure shift</h2>\n<p class=\"hint\">Share of position-discounted exposure (1/log2(1+position)), logged vs "
                + "candidate lists; the values that moved most.</p>\n");
        ((Map<String, Object>) changes.get("exposureShift")).forEach((attr, list) -> {
            List<Svg.Bar> bars = new ArrayList<>();
            for (Map<String, Object> row : (List<Map<String, Object>>) list) {
                Double shift = dbl(row.get("shift"));
                bars.add(new Svg.Bar(String.valueOf(row.get("value")), shift == null ? Double.NaN : shift,
                        ReplayMarkdown.pct(row.get("loggedShare")) + " → " + ReplayMarkdown.pct(row.get("candidateShare"))));
            }
            b.append("<h3>By ").append(Html.escape(attr)).append("</h3>\n")
                    .append(Svg.divergingBars("Exposure shift by " + attr + " (percentage points)", bars, ReplayHtml::points));
        });

        b.append("<h2>Importance weights (candidate)</h2>\n<p class=\"hint\">Slots by item-position weight (the candidate's "
                + "propensity over the logging one, before clipping). Weights near 1 mean the candidate ranks like the logged "
                + "traffic; many at 0 or a long tail of large weights make the estimates rest on few slots.</p>\n");
        List<Svg.Bar> bins = new ArrayList<>();
        Object slots = target.get("slots");
        double total = slots instanceof Number n ? n.doubleValue() : 0;
        for (Map<String, Object> bin : (List<Map<String, Object>>) target.get("weightHistogram")) {
            double count = ((Number) bin.get("slots")).doubleValue();
            bins.add(new Svg.Bar(binLabel(bin), count, total > 0 ? ReplayMarkdown.pct(count / total) : null));
        }
        b.append(Svg.bars("Slots by importance weight of the candidate", bins, v -> String.format(Locale.ROOT, "%.0f", v)));
        b.append("<table>\n");
        row(b, "effective sample size", ReplayMarkdown.num(target.get("ess")) + " of " + target.get("slots") + " slots");
        row(b, "largest weight", ReplayMarkdown.num(target.get("maxWeight")));
        row(b, "mean weight", ReplayMarkdown.num(target.get("meanWeight")));
        row(b, "slots clipped", ReplayMarkdown.pct(target.get("clippedShare")));
        row(b, "slots switched to the model (switch-DR)", ReplayMarkdown.pct(target.get("switchedShare")));
        row(b, "support coverage", ReplayMarkdown.pct(target.get("supportCoverage")));
        b.append("</table>\n<p class=\"hint\">The same figures, and more, are in <code>replay.json</code> and <code>replay.md</code>.</p>\n");
        return Html.page("Replay of " + r.get("surface"), b.toString());
    }

    @SuppressWarnings("unchecked")
    private static Svg.Interval interval(String label, int series, Map<String, Object> e) {
        List<Object> ci = (List<Object>) e.get("ci95");
        return new Svg.Interval(label, series, dbl(e.get("value")), ci == null ? null : dbl(ci.get(0)), ci == null ? null : dbl(ci.get(1)));
    }

    private static String binLabel(Map<String, Object> bin) {
        double from = ((Number) bin.get("from")).doubleValue();
        Object to = bin.get("to");
        if (to instanceof Number t && t.doubleValue() == from) return "0";
        String lo = (from == 0 ? "(" : "[") + trim(from);
        return to instanceof Number t ? lo + ", " + trim(t.doubleValue()) + ")" : "≥ " + trim(from);
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    private static void row(StringBuilder b, String k, String v) {
        b.append("<tr><th>").append(Html.escape(k)).append("</th><td class=\"n\">").append(Html.escape(v)).append("</td></tr>\n");
    }

    private static Double dbl(Object v) {
        return v instanceof Number n ? n.doubleValue() : null;
    }

    private static Object or(Object v, String dflt) {
        return v == null ? dflt : v;
    }

    private static String value(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static String signed(double v) {
        return v == 0 ? "0" : String.format(Locale.ROOT, "%+.4f", v);
    }

    private static String points(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%+.2f pp", 100 * v) : "n/a";
    }
}
