package io.ranker.policy;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/** Durations in rule files: {@code 90s}, {@code 30m}, {@code 12h}, {@code 7d}, or ISO-8601 ({@code PT12H}). */
final class Durations {
    private Durations() {
    }

    /** @return milliseconds, or -1 when the text is not a duration */
    static long parseMillis(String text) {
        String s = text.trim();
        if (s.isEmpty()) return -1;
        if (s.startsWith("P") || s.startsWith("p")) {
            try {
                return Duration.parse(s).toMillis();
            } catch (DateTimeParseException | ArithmeticException e) {
                return -1;
            }
        }
        char unit = s.charAt(s.length() - 1);
        long factor = switch (unit) {
            case 's' -> 1000L;
            case 'm' -> 60_000L;
            case 'h' -> 3_600_000L;
            case 'd' -> 86_400_000L;
            case 'w' -> 7 * 86_400_000L;
            default -> -1;
        };
        if (factor < 0) return -1;
        try {
            double v = Double.parseDouble(s.substring(0, s.length() - 1));
            if (!(v > 0) || v * factor > Long.MAX_VALUE / 2) return -1;
            return (long) (v * factor);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
