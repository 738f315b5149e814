package io.ranker.retrieval;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One source's entry of a pipeline file (as Jackson YAML reads it: String, Number, Boolean, Map, List), for its
 * {@link SourceType} to read. Each problem is added to {@code errors} as {@code "<at>.<key>: message"}; a read
 * returns a placeholder after an error, so every mistake of the file is reported in one go.
 */
public final class SourceSettings {
    private final Map<String, Object> map;
    private final String at;
    private final List<String> errors;

    /** @param at where the entry is, e.g. {@code sources[2]} */
    public SourceSettings(Map<String, Object> map, String at, List<String> errors) {
        this.map = map;
        this.at = at;
        this.errors = errors;
    }

    public boolean has(String key) { return map.containsKey(key); }

    public Object raw(String key, Object absent) { return map.getOrDefault(key, absent); }

    public String string(String key, String absent) { return String.valueOf(map.getOrDefault(key, absent)); }

    /** A whole number in [min, max]. */
    public int integer(String key, int absent, int min, int max) {
        Object o = map.getOrDefault(key, absent);
        if (o instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && n.intValue() >= min && n.intValue() <= max) {
            return n.intValue();
        }
        error(key, "expected a whole number from " + min + " to " + max + ", got '" + o + "'");
        return min;
    }

    public void error(String key, String message) {
        errors.add(at + "." + key + ": " + message);
    }

    /** Reports every key outside {@code common} and {@code own}. */
    public void rejectUnknown(Set<String> common, Set<String> own) {
        Set<String> known = new TreeSet<>(common);
        known.addAll(own);
        for (String k : map.keySet()) {
            if (!known.contains(k)) errors.add(at + ": unknown key '" + k + "' for this source type (known: " + known + ")");
        }
    }
}
