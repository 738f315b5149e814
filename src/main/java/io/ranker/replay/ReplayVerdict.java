package io.ranker.replay;

import io.ranker.replay.ope.Estimate;
import io.ranker.replay.ope.OffPolicyEstimators;
import io.ranker.replay.ope.OpeReport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one answer a replay leads with: which estimator to believe for this log and this change, its estimate of the
 * change with the paired 95% interval, and in words whether the candidate is likely better, worse or cannot be told
 * apart. Every estimator whose assumptions this log breaks is named with the reason and left out (issue 19):
 * <ul>
 *   <li>DM is the reward model alone; its interval ignores the model's own error, so it is a reference, never the
 *       verdict.</li>
 *   <li>IPS and SNIPS see only (item, position) pairs the logging policy shows. Where the candidate puts items the
 *       logging policy never shows there (a protected first position or a sponsored slot holding another item), or
 *       shows so rarely that the estimate rests on a handful of heavily weighted clicks, they are biased or their
 *       interval is not to be trusted; when the reward model values that part above {@value #MATERIAL} of the
 *       interval's half-width, they are excluded.</li>
 *   <li>RIPS (cascade) needs every prefix of the candidate's lists to be one the logging policy can produce; a
 *       different item at position 1 or at a slot makes the whole rest of the list unsupported. Same rule, on the
 *       prefixes.</li>
 *   <li>DR takes the unsupported part from the reward model, but keeps its importance-weighted correction on weakly
 *       supported pairs, where that correction is a sum of many small negative terms and rare large positive ones
 *       the log mostly lacks; the same rule as IPS excludes it there. Switch-DR (in replays, threshold
 *       {@link io.ranker.replay.ope.ImpressionRecordSamples#WEAK_WEIGHT}) uses the model alone on those pairs and
 *       stays; the verdict says how much of the candidate's value rests on the model alone.</li>
 * </ul>
 * The recommended estimator is the first applicable one of DR, switch-DR, SNIPS, IPS, RIPS: DR is unbiased where
 * the logs have support whatever the model, and the model fills in the rest; switch-DR when the log's support is
 * too weak for DR's correction; SNIPS trades a little bias for much less variance than IPS.
 */
final class ReplayVerdict {
    /** Missing value above this fraction of the change interval's half-width makes an estimator inapplicable. */
    static final double MATERIAL = 0.2;
    /** Fewer expected heavy clicks than this and the bootstrap cannot represent the rare heavy terms. */
    static final double MIN_WEAK_CLICKS = 30;
    private static final List<String> PREFERENCE = List.of(OffPolicyEstimators.DR, OffPolicyEstimators.SWITCH_DR,
            OffPolicyEstimators.SNIPS, OffPolicyEstimators.IPS, OffPolicyEstimators.RIPS);

    private ReplayVerdict() {
    }

    /** Why an estimator is left out, or null when it applies. */
    static Map<String, String> exclusions(OpeReport candidate, Map<String, Estimate> change) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : change.keySet()) {
            String why = exclusion(name, candidate, change.get(name));
            if (why != null) out.put(name, why);
        }
        return out;
    }

    private static String exclusion(String name, OpeReport c, Estimate change) {
        double half = (change.hi() - change.lo()) / 2;
        if (!(half >= 0) || Double.isNaN(change.value())) return "no estimate (no data in range)";
        switch (name) {
            case OffPolicyEstimators.DM:
                return "the reward model alone: its interval leaves out the model's own error (a reference, not a verdict)";
            case OffPolicyEstimators.IPS, OffPolicyEstimators.SNIPS: {
                String support = unsupported(c, c.unsupportedValue(), half, "(item, position) pairs");
                if (support != null) return support;
                String weak = weak(c, half);
                if (weak != null) return weak;
                if (c.slots() > 0 && c.ess() < 0.01 * c.slots()) {
                    return String.format(Locale.ROOT, "effective sample size %.1f is below 1%% of the %d slots", c.ess(), c.slots());
                }
                return null;
            }
            case OffPolicyEstimators.DR: {
                // where the weight is large the correction's realised value is driven by clicks the log mostly lacks
                String weak = weak(c, half);
                return weak == null ? null : weak + " (DR's correction there; switch-DR uses the reward model instead)";
            }
            case OffPolicyEstimators.RIPS: {
                if (!Double.isNaN(c.unsupportedPrefixValue()) && c.unsupportedPrefixValue() > MATERIAL * half) {
                    return String.format(Locale.ROOT, "the cascade estimator needs every prefix of the candidate's lists to be one"
                                    + " the logging policy can produce; at least %.1f%% of the candidate's prefix mass is not (a"
                                    + " different item at a protected position or slot unsupports the rest of the list), worth"
                                    + " about %s per slot by the reward model, more than %.0f%% of the interval's half-width %s",
                            100 * (1 - c.prefixCoverage()), num(c.unsupportedPrefixValue()), 100 * MATERIAL, num(half));
                }
                return weak(c, half);
            }
            default:
                return null;
        }
    }

    private static String unsupported(OpeReport c, double value, double half, String what) {
        if (Double.isNaN(value) || value <= MATERIAL * half) return null;
        return String.format(Locale.ROOT, "the candidate puts %.1f%% of its mass on %s the logging policy never shows (%s),"
                        + " worth about %s per slot by the reward model: invisible to this estimator, and more than %.0f%% of"
                        + " its interval's half-width %s", 100 * (1 - c.supportCoverage()), what, where(c), num(value),
                100 * MATERIAL, num(half));
    }

    private static String weak(OpeReport c, double half) {
        if (Double.isNaN(c.weakValue()) || c.weakExpectedClicks() >= MIN_WEAK_CLICKS || c.weakValue() <= MATERIAL * half) {
            return null;
        }
        return String.format(Locale.ROOT, "about %s per slot of the candidate's value is on pairs the logging policy shows"
                        + " rarely (weights above %.0f), where the estimate rests on about %.0f clicks: too few for its"
                        + " interval to account for the heavy clicks it did not see", num(c.weakValue()),
                io.ranker.replay.ope.ImpressionRecordSamples.WEAK_WEIGHT, c.weakExpectedClicks());
    }

    /** The positions holding most of the unsupported mass, e.g. "position 1: 27.6%, position 2: 24.3%". */
    private static String where(OpeReport c) {
        List<Double> u = c.unsupportedByPosition();
        List<Integer> order = new ArrayList<>();
        for (int k = 0; k < u.size(); k++) if (u.get(k) != null && u.get(k) > 0.005) order.add(k);
        order.sort((a, b) -> Double.compare(u.get(b), u.get(a)));
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(3, order.size()); i++) {
            if (i > 0) s.append(", ");
            s.append(String.format(Locale.ROOT, "position %d: %.1f%% of lists", order.get(i) + 1, 100 * u.get(order.get(i))));
        }
        return s.length() == 0 ? "spread over positions" : s.toString();
    }

    /** The verdict section of replay.json. */
    static Map<String, Object> json(boolean hasCandidate, OpeReport candidate, OpeReport logged, Map<String, Estimate> change) {
        Map<String, Object> v = new LinkedHashMap<>();
        if (!hasCandidate) {
            v.put("estimator", null);
            v.put("direction", "no change");
            v.put("summary", "the candidate is the logging policy itself: this replay is a reproduction check");
            v.put("excluded", List.of());
            return v;
        }
        Map<String, String> excluded = exclusions(candidate, change);
        String pick = null;
        for (String name : PREFERENCE) {
            if (change.containsKey(name) && !excluded.containsKey(name)) {
                pick = name;
                break;
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        excluded.forEach((name, why) -> out.add(Map.of("estimator", name, "why", why)));
        v.put("estimator", pick);
        if (pick == null) {
            v.put("direction", "cannot be told apart");
            v.put("summary", "no estimator's assumptions hold for this log and this change: the logs cannot say whether the"
                    + " candidate is better (see excluded)");
            v.put("excluded", out);
            return v;
        }
        Estimate e = change.get(pick);
        Estimate base = logged.estimates().get(pick);
        double relative = base == null || base.value() == 0 ? Double.NaN : e.value() / base.value();
        String direction = e.lo() > 0 ? "better" : e.hi() < 0 ? "worse" : "cannot be told apart";
        v.put("change", e.value());
        v.put("interval", List.of(e.lo(), e.hi()));
        v.put("relative", relative);
        v.put("direction", direction);
        v.put("summary", summary(pick, e, relative, direction));
        v.put("reason", reason(pick, candidate));
        v.put("excluded", out);
        return v;
    }

    private static String summary(String name, Estimate e, double relative, String direction) {
        String est = String.format(Locale.ROOT, "%s estimates the change at %s per slot (%s) with 95%% interval [%s, %s]",
                ReplayReport.estimatorLabel(name), signed(e.value()), Double.isNaN(relative) ? "n/a"
                        : String.format(Locale.ROOT, "%+.1f%%", 100 * relative), signed(e.lo()), signed(e.hi()));
        return switch (direction) {
            case "better" -> "The candidate is likely better: " + est + ", above zero.";
            case "worse" -> "The candidate is likely worse: " + est + ", below zero.";
            default -> "The candidate cannot be told apart from the logged policy: " + est + ", which includes zero.";
        };
    }

    private static String reason(String name, OpeReport c) {
        String support = String.format(Locale.ROOT, "support coverage %.1f%%, ESS %.0f of %d slots",
                100 * c.supportCoverage(), c.ess(), c.slots());
        double modelPart = (Double.isNaN(c.unsupportedValue()) ? 0 : c.unsupportedValue())
                + (c.weakExpectedClicks() < MIN_WEAK_CLICKS && !Double.isNaN(c.weakValue()) ? c.weakValue() : 0);
        return switch (name) {
            case OffPolicyEstimators.DR, OffPolicyEstimators.SWITCH_DR -> String.format(Locale.ROOT,
                    "%s is unbiased where the logging policy shows the candidate's items and takes the rest from the reward model"
                            + " (%s); about %s per slot of the candidate's value rests on the model alone (items at positions"
                            + " the logging policy never or rarely randomises), so it assumes the model is right there",
                    ReplayReport.estimatorLabel(name), support, num(modelPart));
            case OffPolicyEstimators.SNIPS, OffPolicyEstimators.IPS -> String.format(Locale.ROOT,
                    "%s: the logging policy shows what the candidate shows (%s), so importance weighting alone is unbiased"
                            + " under the position-based assumption", ReplayReport.estimatorLabel(name), support);
            default -> String.format(Locale.ROOT, "%s: the logs support the candidate's lists (%s)", ReplayReport.estimatorLabel(name), support);
        };
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.5f", v);
    }

    private static String signed(double v) {
        return String.format(Locale.ROOT, "%+.5f", v);
    }
}
