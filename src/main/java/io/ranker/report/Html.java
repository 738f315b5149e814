package io.ranker.report;

import java.util.Locale;

/** Escaping and the page shell of a self-contained report. Labels come from user data (surfaces, brands, categories). */
public final class Html {
    private Html() {
    }

    /** Escapes text for element content and for double- or single-quoted attribute values. */
    public static String escape(Object v) {
        String s = String.valueOf(v);
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    // control characters other than tab and newline are not allowed in HTML or XML text
                    if (c < 0x20 && c != '\t' && c != '\n') b.append('\uFFFD');
                    else b.append(c);
                }
            }
        }
        return b.toString();
    }

    /** A number in a {@code data-} attribute: full precision (as JSON writes it), empty when undefined. */
    public static String data(Double v) {
        return v == null || !Double.isFinite(v) ? "" : Double.toString(v);
    }

    public static String fixed(double v, int digits) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + digits + "f", v) : "n/a";
    }

    /** The page around the report body: inline style only, no script. */
    public static String page(String title, String body) {
        return "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<title>" + escape(title) + "</title>\n<style>\n" + STYLE + "</style>\n</head>\n<body>\n"
                + body + "</body>\n</html>\n";
    }

    private static final String STYLE = """
            body { font: 15px/1.45 system-ui, sans-serif; color: #1d2433; max-width: 980px; margin: 1.5rem auto; padding: 0 1rem; }
            h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #d8dde6; }
            table { border-collapse: collapse; margin: .5rem 0; } th, td { padding: .2rem .6rem; text-align: left; }
            td.n { text-align: right; font-variant-numeric: tabular-nums; } tr:nth-child(even) { background: #f4f6f9; }
            .warn { background: #fff4e0; border-left: 4px solid #d98a00; padding: .4rem .8rem; }
            .hint { color: #5a6273; font-size: .9rem; }
            svg.chart { display: block; margin: .5rem 0 1rem; max-width: 100%; height: auto; }
            svg.chart text { font: 12px system-ui, sans-serif; fill: #1d2433; }
            svg.chart .axis { stroke: #9aa3b2; stroke-width: 1; } svg.chart .grid { stroke: #e3e7ee; stroke-width: 1; }
            svg.chart .zero { stroke: #5a6273; stroke-dasharray: 4 3; }
            svg.chart .s0 { stroke: #1f6feb; fill: #1f6feb; } svg.chart .s1 { stroke: #8a5a00; fill: #8a5a00; }
            svg.chart .s2 { stroke: #2e7d32; fill: #2e7d32; } svg.chart .up { fill: #2e7d32; } svg.chart .down { fill: #c62828; }
            svg.chart line.ci { stroke-width: 3; } svg.chart text.v { fill: #5a6273; }
            .legend span { display: inline-block; margin-right: 1rem; } .legend i { display: inline-block; width: .8rem; height: .8rem; margin-right: .3rem; }
            """;
}
