package io.ranker.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/** Rule-by-rule differences between two parsed rule sets, matched by rule id, for people to read. */
public final class PolicyDiff {
    private PolicyDiff() {
    }

    /** @return one line per difference; empty when the rule sets are the same */
    public static List<String> diff(PolicyParser.ParsedPolicy a, PolicyParser.ParsedPolicy b) {
        List<String> out = new ArrayList<>();
        if (a.version().equals(b.version())) return out;
        Map<String, Object> ta = new TreeMap<>(a.canonical()), tb = new TreeMap<>(b.canonical());
        Map<String, Map<String, Object>> ra = rules(ta.remove("rules")), rb = rules(tb.remove("rules"));
        for (String key : new TreeSet<>(union(ta.keySet(), tb.keySet()))) {
            if (!Objects.equals(ta.get(key), tb.get(key))) out.add("~ " + key + ": " + ta.get(key) + " -> " + tb.get(key));
        }
        for (String id : ra.keySet()) if (!rb.containsKey(id)) out.add("- rule " + id + " (" + ra.get(id).get("type") + ")");
        for (String id : rb.keySet()) {
            if (!ra.containsKey(id)) {
                out.add("+ rule " + id + " (" + rb.get(id).get("type") + "): " + rb.get(id));
                continue;
            }
            Map<String, Object> fa = flatten(ra.get(id)), fb = flatten(rb.get(id));
            for (String k : new TreeSet<>(union(fa.keySet(), fb.keySet()))) {
                if (!Objects.equals(fa.get(k), fb.get(k))) {
                    out.add("~ rule " + id + ": " + k + ": " + show(fa.get(k)) + " -> " + show(fb.get(k)));
                }
            }
        }
        List<String> orderA = new ArrayList<>(ra.keySet()), orderB = new ArrayList<>(rb.keySet());
        orderA.retainAll(rb.keySet());
        orderB.retainAll(ra.keySet());
        if (!orderA.equals(orderB)) out.add("~ order: " + orderA + " -> " + orderB);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> rules(Object list) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        if (list instanceof List<?> l) for (Object o : l) {
            if (o instanceof Map<?, ?> m) out.put(String.valueOf(m.get("id")), (Map<String, Object>) m);
        }
        return out;
    }

    private static Map<String, Object> flatten(Map<String, Object> m) {
        Map<String, Object> out = new TreeMap<>();
        flatten("", m, out);
        return out;
    }

    private static void flatten(String prefix, Object v, Map<String, Object> out) {
        if (v instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) flatten(prefix.isEmpty() ? String.valueOf(e.getKey())
                    : prefix + "." + e.getKey(), e.getValue(), out);
        } else if (v instanceof List<?> l && l.stream().anyMatch(x -> x instanceof Map)) {
            for (int i = 0; i < l.size(); i++) flatten(prefix + "[" + i + "]", l.get(i), out);
        } else {
            out.put(prefix, v);
        }
    }

    private static String show(Object v) {
        return v == null ? "(none)" : String.valueOf(v);
    }

    private static <T> java.util.Set<T> union(java.util.Set<T> a, java.util.Set<T> b) {
        java.util.Set<T> u = new java.util.LinkedHashSet<>(a);
        u.addAll(b);
        return u;
    }
}
