package io.ranker.core;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The "unknown name" part of an error message, bounded: the closest known names first (a likely typo), then how
 * many there are in all and where to list them. A catalog may hold a thousand attribute names; an error that
 * listed them all would be tens of kilobytes on every mistaken request.
 */
public final class KnownNames {
    /** At most this many names appear in a message. */
    public static final int MAX_LISTED = 12;

    private KnownNames() {
    }

    /**
     * @param what  the noun, plural ("attributes")
     * @param where how to see the full list ("GET /v1/catalog/attributes"), or null
     */
    public static String describe(String unknown, Collection<String> known, String what, String where) {
        if (known.isEmpty()) return "there are no " + what + " yet";
        List<String> closest = known.stream()
                .sorted(Comparator.comparingInt((String k) -> distance(unknown, k)).thenComparing(Comparator.naturalOrder()))
                .limit(MAX_LISTED).toList();
        if (known.size() <= MAX_LISTED) {
            return what + ": " + known.stream().sorted().collect(Collectors.joining(", "));
        }
        return "closest of the " + known.size() + " " + what + ": " + String.join(", ", closest)
                + (where == null ? "" : " (all of them: " + where + ")");
    }

    /** Edit distance, case-insensitive, capped so a long hostile name costs little. */
    static int distance(String a, String b) {
        String x = a.toLowerCase(Locale.ROOT), y = b.toLowerCase(Locale.ROOT);
        if (x.length() > 64) x = x.substring(0, 64);
        if (y.length() > 64) y = y.substring(0, 64);
        int[] prev = new int[y.length() + 1];
        int[] cur = new int[y.length() + 1];
        for (int j = 0; j <= y.length(); j++) prev[j] = j;
        for (int i = 1; i <= x.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= y.length(); j++) {
                int sub = prev[j - 1] + (x.charAt(i - 1) == y.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[y.length()];
    }
}
