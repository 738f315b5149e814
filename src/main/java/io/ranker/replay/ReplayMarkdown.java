package io.ranker.replay;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The human-readable replay report (Markdown), rendered from the JSON document so the two never disagree. */
final class ReplayMarkdown {
    private ReplayMarkdown() {
    }

    @SuppressWarnings("unchecked")
    static String render(Map<String, Object> r) {
        StringBuilder b = new StringBuilder();
        Map<String, Object> cand = (Map<String, Object>) r.get("candidate");
        Map<String, Object> input = (Map<String, Object>) r.get("input");
        Map<String, Object> repro = (Map<String, Object>) r.get("reproduction");
        Map<String, Object> changes = (Map<String, Object>) r.get("rankingChanges");
        Map<String, Object> offline = (Map<String, Object>) r.get("offlineMetrics");
        Map<String, Object> ope = (Map<String, Object>) r.get("offPolicy");
        b.append("# Replay of surface `").append(r.get("surface")).append("`\n\n");
        b.append("Range: ").append(or(r.get("from"), "start of log")).append(" to ").append(or(r.get("to"), "end of log")).append("  \n");
        b.append("Candidate: model ").append(cand.get("model")).append(", policy ").append(cand.get("policy"))
                .append(", explorer ").append(cand.get("explorer")).append("\n\n");
        Map<String, Object> verdict = (Map<String, Object>) r.get("verdict");
        if (verdict != null) {
            b.append("## Verdict\n\n**").append(verdict.get("summary")).append("**\n\n");
            if (verdict.get("reason") != null) b.append("Why ").append(ReplayReport.estimatorLabel(String.valueOf(verdict.get("estimator"))))
                    .append(": ").append(verdict.get("reason")).append(".\n\n");
            List<Map<String, Object>> excluded = (List<Map<String, Object>>) verdict.get("excluded");
            if (excluded != null && !excluded.isEmpty()) {
                b.append("Left out of the verdict:\n\n");
                for (Map<String, Object> e : excluded) {
                    b.append("- ").append(ReplayReport.estimatorLabel(String.valueOf(e.get("estimator")))).append(": ")
                            .append(e.get("why")).append('\n');
                }
                b.append('\n');
            }
        }
        List<String> warnings = (List<String>) r.get("warnings");
        if (!warnings.isEmpty()) {
            b.append("## Warnings\n\n");
            for (String w : warnings) b.append("- ").append(w).append('\n');
            b.append('\n');
        }
        b.append("## Input\n\n| | |\n|---|---:|\n");
        for (String k : List.of("recordsRead", "impressionsInRange", "impressionsOnSurface", "impressionsWithCandidateSet",
                "impressionsReplayed", "feedbackEventsJoined", "tornRecordsSkipped", "corruptStretchesSkipped")) {
            b.append("| ").append(k).append(" | ").append(input.get(k)).append(" |\n");
        }
        ((Map<String, Object>) input.get("skipped")).forEach((k, v) -> b.append("| skipped: ").append(k).append(" | ").append(v).append(" |\n"));
        b.append("| logged lists reproduced by the replay | ").append(pct(repro.get("shareReproduced"))).append(" |\n\n");

        b.append("## Ranking changes\n\n");
        b.append("Lists changed: **").append(pct(changes.get("shareChanged"))).append("** of ").append(changes.get("lists"))
                .append(" (with different items: ").append(pct(changes.get("shareWithDifferentItems"))).append(")  \n");
        b.append("Kendall tau ").append(num(changes.get("kendallTau"))).append(", Spearman rho ")
                .append(num(changes.get("spearmanRho"))).append(" (logged list vs candidate list)  \n");
        b.append("Overlap@k: ");
        ((Map<String, Object>) changes.get("overlapAtK")).forEach((k, v) -> b.append("@").append(k).append(" ").append(num(v)).append("  "));
        b.append("\n\n");
        ((Map<String, Object>) changes.get("exposureShift")).forEach((attr, rows) -> {
            b.append("Exposure shift by ").append(attr).append(" (position-discounted share):\n\n| value | logged | candidate | shift |\n|---|---:|---:|---:|\n");
            for (Map<String, Object> row : (List<Map<String, Object>>) rows) {
                b.append("| ").append(row.get("value")).append(" | ").append(pct(row.get("loggedShare"))).append(" | ")
                        .append(pct(row.get("candidateShare"))).append(" | ").append(signedPct(row.get("shift"))).append(" |\n");
            }
            b.append('\n');
        });

        b.append("## Offline metrics on logged feedback (biased)\n\n").append(offline.get("note")).append(".\n\n");
        b.append("Logged CTR@k: ");
        ((Map<String, Object>) offline.get("loggedCtrAtK")).forEach((k, v) -> b.append("@").append(k).append(" ").append(num(v)).append("  "));
        b.append("\nRewarded logged items in the candidate's top k: ");
        ((Map<String, Object>) offline.get("rewardedItemsInCandidateTopK")).forEach((k, v) -> b.append("@").append(k).append(" ").append(pct(v)).append("  "));
        b.append("\n\n");

        b.append("## Off-policy estimates\n\n").append(ope.get("estimand")).append("; reward weights ")
                .append(ope.get("rewardWeights")).append(". 95% bootstrap intervals (")
                .append(ope.get("bootstrapReplicates")).append(" replicates).\n\n");
        Map<String, Object> target = (Map<String, Object>) ope.get("candidate");
        Map<String, Object> logged = (Map<String, Object>) ope.get("logged");
        Map<String, Object> te = (Map<String, Object>) target.get("estimates");
        Map<String, Object> le = (Map<String, Object>) logged.get("estimates");
        Map<String, Object> paired = (Map<String, Object>) ope.get("change");
        b.append("| estimator | candidate | 95% CI | logged policy | 95% CI | change | change 95% CI (paired) | in verdict |\n"
                + "|---|---:|---|---:|---|---:|---|---|\n");
        for (String k : te.keySet()) {
            Map<String, Object> t = (Map<String, Object>) te.get(k);
            Map<String, Object> l = (Map<String, Object>) le.get(k);
            Map<String, Object> c = paired == null ? null : (Map<String, Object>) paired.get(k);
            b.append("| ").append(ReplayReport.estimatorLabel(k)).append(" | ").append(num(t.get("value"))).append(" | ")
                    .append(ci(t.get("ci95"))).append(" | ")
                    .append(l == null ? "" : num(l.get("value"))).append(" | ").append(l == null ? "" : ci(l.get("ci95")))
                    .append(" | ").append(l == null ? "" : relative(t.get("value"), l.get("value")))
                    .append(" | ").append(c == null ? "" : ci(c.get("differenceCi95")))
                    .append(" | ").append(c == null ? "" : Boolean.TRUE.equals(c.get("applicable")) ? "yes" : "no (see above)")
                    .append(" |\n");
        }
        Map<String, Object> lv = (Map<String, Object>) logged.get("loggedValue");
        b.append("\nObserved CTR of the replayed logged lists: ").append(num(lv.get("value"))).append(" ").append(ci(lv.get("ci95"))).append("\n\n");
        b.append("Diagnostics (candidate): ESS ").append(num(target.get("ess"))).append(" of ").append(target.get("slots"))
                .append(" slots, max weight ").append(num(target.get("maxWeight"))).append(", mean weight ")
                .append(num(target.get("meanWeight"))).append(", clipped ").append(pct(target.get("clippedShare")))
                .append(", switched (switch-DR) ").append(pct(target.get("switchedShare"))).append(", support coverage ")
                .append(pct(target.get("supportCoverage"))).append(", prefix coverage ").append(pct(target.get("prefixCoverage")))
                .append("\n\n");
        Map<String, Object> exam = (Map<String, Object>) r.get("examination");
        if (exam != null) {
            b.append("## Position bias from the logging policy's randomisation\n\n").append(exam.get("method")).append(".  \n")
                    .append("Explored lists: ").append(pct(exam.get("exploredShare"))).append(" of ").append(exam.get("lists"))
                    .append("; reference position ").append(or(exam.get("reference"), "none")).append(".\n\n")
                    .append("| position | identified | exam / exam(reference) | 95% CI | exam / exam(1) |\n|---:|---|---:|---|---:|\n");
            for (Map<String, Object> row : (List<Map<String, Object>>) exam.get("positions")) {
                b.append("| ").append(row.get("position")).append(" | ").append(Boolean.TRUE.equals(row.get("identified")) ? "yes" : "no")
                        .append(" | ").append(num(row.get("relativeToReference"))).append(" | ").append(ci(row.get("ci95")))
                        .append(" | ").append(num(row.get("relativeToFirst"))).append(" |\n");
            }
            Map<String, Object> fit = (Map<String, Object>) exam.get("powerLaw");
            b.append("\nPower law: eta ").append(num(fit.get("eta"))).append(" ").append(ci(fit.get("ci95"))).append(".");
            if (exam.get("notIdentifiedWhy") != null) b.append(" Not identified: ").append(exam.get("notIdentified")).append(": ")
                    .append(exam.get("notIdentifiedWhy")).append(".");
            b.append("\n\n");
        }
        Map<String, Object> perf = (Map<String, Object>) r.get("performance");
        b.append("_").append(input.get("impressionsReplayed")).append(" impressions in ").append(num(perf.get("seconds")))
                .append(" s (").append(num(perf.get("impressionsPerSecond"))).append(" per second)._\n");
        return b.toString();
    }

    private static Object or(Object v, String dflt) {
        return v == null ? dflt : v;
    }

    static String num(Object v) {
        if (!(v instanceof Number n)) return "n/a";
        double d = n.doubleValue();
        if (v instanceof Long || v instanceof Integer) return String.valueOf(v);
        return Math.abs(d) >= 1000 ? String.format(Locale.ROOT, "%.0f", d) : String.format(Locale.ROOT, "%.4f", d);
    }

    static String pct(Object v) {
        return v instanceof Number n ? String.format(Locale.ROOT, "%.1f%%", 100 * n.doubleValue()) : "n/a";
    }

    private static String signedPct(Object v) {
        return v instanceof Number n ? String.format(Locale.ROOT, "%+.2f pp", 100 * n.doubleValue()) : "n/a";
    }

    private static String ci(Object v) {
        if (!(v instanceof List<?> l) || l.size() != 2) return "n/a";
        return "[" + num(l.get(0)) + ", " + num(l.get(1)) + "]";
    }

    private static String relative(Object cand, Object logged) {
        if (!(cand instanceof Number c) || !(logged instanceof Number l) || l.doubleValue() == 0) return "n/a";
        return String.format(Locale.ROOT, "%+.1f%%", 100 * (c.doubleValue() / l.doubleValue() - 1));
    }
}
