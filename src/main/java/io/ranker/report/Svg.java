package io.ranker.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * The two chart shapes the reports need, as inline SVG strings: point estimates with their intervals, and
 * diverging bars (a signed change per label). Each row is a {@code <g>} carrying its numbers in {@code data-}
 * attributes and printing them as text, so the picture never is the only place a figure can be read.
 */
public final class Svg {
    static final int WIDTH = 900;
    static final int LABEL_W = 270;
    static final int TEXT_W = 220;
    static final int ROW_H = 24;
    static final int TOP = 28;
    static final int BOTTOM = 26;

    private Svg() {
    }

    /** One estimate: {@code series} picks the colour (0, 1, 2); a null bound draws the point alone; a null value skips the row. */
    public record Interval(String label, int series, Double value, Double lo, Double hi) {
    }

    /** One signed change, with the text printed after it (e.g. "12.0% → 15.5%"). */
    public record Bar(String label, double value, String note) {
    }

    /** Horizontal interval chart; {@code reference} (e.g. 0 for a difference) is drawn as a dashed line when not null. */
    public static String intervals(String title, List<Interval> rows, Double reference, DoubleFunction<String> fmt) {
        List<Interval> shown = rows.stream().filter(r -> finite(r.value())).toList();
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (Interval r : shown) {
            for (Double d : new Double[] {r.value(), r.lo(), r.hi()}) {
                if (finite(d)) {
                    lo = Math.min(lo, d);
                    hi = Math.max(hi, d);
                }
            }
        }
        if (finite(reference)) {
            lo = Math.min(lo, reference);
            hi = Math.max(hi, reference);
        }
        Scale x = Scale.of(lo, hi, LABEL_W, WIDTH - TEXT_W);
        int height = TOP + Math.max(1, shown.size()) * ROW_H + BOTTOM;
        StringBuilder b = open(title, height, "intervals");
        x.axis(b, TOP, height - BOTTOM, fmt);
        if (finite(reference)) {
            b.append(String.format(Locale.ROOT, "<line class=\"zero\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\"/>\n",
                    x.at(reference), x.at(reference), TOP - 6, height - BOTTOM));
        }
        int y = TOP + ROW_H / 2;
        for (Interval r : shown) {
            String s = "s" + Math.floorMod(r.series(), 3);
            b.append("<g class=\"row\" data-label=\"").append(Html.escape(r.label())).append("\" data-series=\"").append(r.series())
                    .append("\" data-value=\"").append(Html.data(r.value())).append("\" data-lo=\"").append(Html.data(r.lo()))
                    .append("\" data-hi=\"").append(Html.data(r.hi())).append("\">");
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", LABEL_W - 10, y + 4))
                    .append(Html.escape(r.label())).append("</text>");
            boolean ci = finite(r.lo()) && finite(r.hi());
            if (ci) {
                b.append(String.format(Locale.ROOT, "<line class=\"ci %s\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\"/>",
                        s, x.at(r.lo()), x.at(r.hi()), y, y));
            }
            b.append(String.format(Locale.ROOT, "<circle class=\"%s\" cx=\"%.1f\" cy=\"%d\" r=\"5\"/>", s, x.at(r.value()), y));
            String text = fmt.apply(r.value()) + (ci ? " [" + fmt.apply(r.lo()) + ", " + fmt.apply(r.hi()) + "]" : "");
            b.append(String.format(Locale.ROOT, "<text class=\"v\" x=\"%d\" y=\"%d\">", WIDTH - TEXT_W + 10, y + 4))
                    .append(Html.escape(text)).append("</text></g>\n");
            y += ROW_H;
        }
        if (shown.isEmpty()) empty(b, TOP + ROW_H / 2 + 4);
        return b.append("</svg>\n").toString();
    }

    /** Bars left (negative, red) or right (positive, green) of zero, scaled to the largest magnitude. */
    public static String divergingBars(String title, List<Bar> rows, DoubleFunction<String> fmt) {
        double max = 1e-12;
        for (Bar r : rows) if (Double.isFinite(r.value())) max = Math.max(max, Math.abs(r.value()));
        Scale x = Scale.of(-max, max, LABEL_W, WIDTH - TEXT_W);
        int height = TOP + Math.max(1, rows.size()) * ROW_H + BOTTOM;
        StringBuilder b = open(title, height, "bars");
        x.axis(b, TOP, height - BOTTOM, fmt);
        double zero = x.at(0);
        b.append(String.format(Locale.ROOT, "<line class=\"zero\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\"/>\n", zero, zero, TOP - 6, height - BOTTOM));
        int y = TOP + ROW_H / 2;
        for (Bar r : rows) {
            double v = Double.isFinite(r.value()) ? r.value() : 0;
            double end = x.at(v);
            b.append("<g class=\"row\" data-label=\"").append(Html.escape(r.label())).append("\" data-value=\"")
                    .append(Html.data(r.value())).append("\">");
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", LABEL_W - 10, y + 4))
                    .append(Html.escape(r.label())).append("</text>");
            b.append(String.format(Locale.ROOT, "<rect class=\"%s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\"/>",
                    v >= 0 ? "up" : "down", Math.min(zero, end), y - 7, Math.abs(end - zero), 14));
            b.append(String.format(Locale.ROOT, "<text class=\"v\" x=\"%d\" y=\"%d\">", WIDTH - TEXT_W + 10, y + 4))
                    .append(Html.escape(fmt.apply(r.value()) + (r.note() == null ? "" : "  " + r.note()))).append("</text></g>\n");
            y += ROW_H;
        }
        if (rows.isEmpty()) empty(b, TOP + ROW_H / 2 + 4);
        return b.append("</svg>\n").toString();
    }

    /** Bars from zero to the right (counts, shares), scaled to the largest; a histogram when the labels are bins. */
    public static String bars(String title, List<Bar> rows, DoubleFunction<String> fmt) {
        double max = 1e-12;
        for (Bar r : rows) if (Double.isFinite(r.value())) max = Math.max(max, r.value());
        Scale x = Scale.of(0, max, LABEL_W, WIDTH - TEXT_W);
        int height = TOP + Math.max(1, rows.size()) * ROW_H + BOTTOM;
        StringBuilder b = open(title, height, "histogram");
        x.axis(b, TOP, height - BOTTOM, fmt);
        int y = TOP + ROW_H / 2;
        for (Bar r : rows) {
            double v = Double.isFinite(r.value()) ? Math.max(0, r.value()) : 0;
            b.append("<g class=\"row\" data-label=\"").append(Html.escape(r.label())).append("\" data-value=\"")
                    .append(Html.data(r.value())).append("\">");
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", LABEL_W - 10, y + 4))
                    .append(Html.escape(r.label())).append("</text>");
            b.append(String.format(Locale.ROOT, "<rect class=\"s0\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\"/>",
                    x.at(0), y - 7, x.at(v) - x.at(0), 14));
            b.append(String.format(Locale.ROOT, "<text class=\"v\" x=\"%d\" y=\"%d\">", WIDTH - TEXT_W + 10, y + 4))
                    .append(Html.escape(fmt.apply(r.value()) + (r.note() == null ? "" : "  " + r.note()))).append("</text></g>\n");
            y += ROW_H;
        }
        if (rows.isEmpty()) empty(b, TOP + ROW_H / 2 + 4);
        return b.append("</svg>\n").toString();
    }

    private static StringBuilder open(String title, int height, String kind) {
        StringBuilder b = new StringBuilder();
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" data-chart=\"").append(kind)
                .append("\" role=\"img\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
                .append("\" width=\"").append(WIDTH).append("\" height=\"").append(height).append("\">\n<title>")
                .append(Html.escape(title)).append("</title>\n");
        return b;
    }

    private static void empty(StringBuilder b, int y) {
        b.append("<text x=\"").append(LABEL_W).append("\" y=\"").append(y).append("\">no data</text>\n");
    }

    private static boolean finite(Double d) {
        return d != null && Double.isFinite(d);
    }

    /** A linear map from a value range to pixels, padded and with round tick values. */
    record Scale(double lo, double hi, double px0, double px1, List<Double> ticks) {
        static Scale of(double lo, double hi, double px0, double px1) {
            if (!Double.isFinite(lo) || !Double.isFinite(hi)) {
                lo = 0;
                hi = 1;
            }
            if (hi - lo < 1e-12) {
                double pad = Math.max(Math.abs(lo) * 0.05, 1e-6);
                lo -= pad;
                hi += pad;
            }
            double step = niceStep((hi - lo) / 5);
            double tlo = Math.floor(lo / step) * step, thi = Math.ceil(hi / step) * step;
            List<Double> ticks = new ArrayList<>();
            for (double t = tlo; t <= thi + step / 2; t += step) ticks.add(Math.abs(t) < step * 1e-9 ? 0.0 : t);
            return new Scale(tlo, thi, px0, px1, ticks);
        }

        /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
        static double niceStep(double raw) {
            double p = Math.pow(10, Math.floor(Math.log10(raw)));
            double f = raw / p;
            return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
        }

        double at(double v) {
            return px0 + (v - lo) / (hi - lo) * (px1 - px0);
        }

        void axis(StringBuilder b, int top, int bottom, DoubleFunction<String> fmt) {
            for (double t : ticks) {
                double px = at(t);
                b.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\"/>", px, px, top - 6, bottom));
                b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">", px, bottom + 16))
                        .append(Html.escape(fmt.apply(t))).append("</text>\n");
            }
            b.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\"/>\n", px0, px1, bottom, bottom));
        }
    }
}
