package io.ranker.core;

/**
 * Text from callers made safe for one log line or one audit field: control characters (newlines above all, which
 * would let a caller forge a log line) are written as visible escapes ({@code \n}, {@code \u001b}), and the length is
 * capped.
 */
public final class LogText {
    private LogText() {
    }

    public static String escape(String s) {
        return escape(s, 200);
    }

    /** {@code s} with control characters escaped, at most {@code max} characters of it (then an ellipsis); null stays null. */
    public static String escape(String s, int max) {
        if (s == null) return null;
        StringBuilder out = new StringBuilder(Math.min(s.length(), max) + 8);
        int taken = 0;
        for (int i = 0; i < s.length() && taken < max; i++, taken++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || c == '\u0085') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        if (taken < s.length()) out.append('…');
        return out.toString();
    }
}
