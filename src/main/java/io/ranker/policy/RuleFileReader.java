package io.ranker.policy;

import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed reads of values out of one composed rule file, for the parser, the condition reader and the rule types.
 * A read never throws: a wrong value becomes a {@link PolicyError} with its line and column (and the rule id and
 * path being read), and the read returns a placeholder so that one run reports every problem.
 * Lives for one parse.
 */
final class RuleFileReader {
    final List<PolicyError> errors = new ArrayList<>();
    /** The rule being read (null outside a rule), and its path in the document: stamped on every error. */
    String ruleId;
    String path = "";

    void error(Node at, String message) {
        Mark m = at == null ? null : at.getStartMark();
        errors.add(new PolicyError(ruleId, path, message, m == null ? null : m.getLine() + 1,
                m == null ? null : m.getColumn() + 1));
    }

    /** Mapping keys to value nodes; unknown keys are errors when {@code allowed} is given. */
    Map<String, Node> fields(MappingNode m, Set<String> allowed) {
        Map<String, Node> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            String key = ((ScalarNode) t.getKeyNode()).getValue();
            if (allowed != null && !allowed.contains(key)) {
                error(t.getKeyNode(), "unknown key '" + key + "' (expected one of " + new TreeSet<>(allowed) + ")");
                continue;
            }
            out.put(key, t.getValueNode());
        }
        return out;
    }

    String scalar(Node node, String what) {
        if (node instanceof ScalarNode s && !Tag.NULL.equals(s.getTag())) return s.getValue();
        error(node, "'" + what + "' must be a single value");
        return null;
    }

    String string(Node node, String what) {
        String s = scalar(node, what);
        if (s != null && s.isBlank()) {
            error(node, "'" + what + "' must not be empty");
            return null;
        }
        return s;
    }

    List<String> strings(Node node, String what) {
        List<String> out = new ArrayList<>();
        if (!(node instanceof SequenceNode s)) {
            error(node, "'" + what + "' must be a list");
            return out;
        }
        for (Node e : s.getValue()) {
            String v = string(e, what);
            if (v != null) out.add(v);
        }
        return out;
    }

    Boolean bool(Node node, String what) {
        if (node instanceof ScalarNode s && Tag.BOOL.equals(s.getTag())) return Boolean.valueOf(s.getValue().toLowerCase());
        error(node, "'" + what + "' must be true or false");
        return null;
    }

    double number(Node node, String what, double min, double max) {
        String s = scalar(node, what);
        if (s == null) return Double.NaN;
        try {
            double d = Double.parseDouble(s.replace("_", ""));
            if (Double.isNaN(d) || d < min || d > max) {
                error(node, "'" + what + "' must be a number in [" + fmt(min) + ", " + fmt(max) + "], got " + s);
            }
            return d;
        } catch (NumberFormatException e) {
            error(node, "'" + what + "' must be a number, got '" + s + "'");
            return Double.NaN;
        }
    }

    /** An integer in [min, max]; a missing value ({@code node} null) is {@code dflt}, or an error at the parent. */
    int intValue(Node node, String what, Node parent, int min, int max, Integer dflt) {
        if (node == null) {
            if (dflt != null) return dflt;
            error(parent, "missing '" + what + "'");
            return -1;
        }
        String s = scalar(node, what);
        if (s == null) return -1;
        try {
            int v = Integer.parseInt(s.trim());
            if (v < min || v > max) error(node, "'" + what + "' must be an integer in [" + min + ", " + max + "], got " + v);
            return v;
        } catch (NumberFormatException e) {
            error(node, "'" + what + "' must be an integer, got '" + s + "'");
            return -1;
        }
    }

    /** A positive duration in milliseconds (1 after an error, so a rule built from it stays well-formed). */
    long duration(Node node, String what) {
        String s = scalar(node, what);
        if (s == null) return 1;
        long ms = Durations.parseMillis(s);
        if (ms <= 0) {
            error(node, "'" + what + "' must be a positive duration such as 30m, 12h, 7d or PT12H, got '" + s + "'");
            return 1;
        }
        return ms;
    }

    /** {@code active: {from, until}}, common to every rule type. */
    ActiveWindow window(Node node) {
        if (!(node instanceof MappingNode m)) {
            error(node, "'active' must be a mapping with 'from' and/or 'until' (ISO-8601 instants)");
            return ActiveWindow.ALWAYS;
        }
        Map<String, Node> f = fields(m, Set.of("from", "until"));
        Instant from = f.containsKey("from") ? instant(f.get("from")) : null;
        Instant until = f.containsKey("until") ? instant(f.get("until")) : null;
        if (f.isEmpty()) error(m, "'active' needs 'from' and/or 'until'");
        if (from != null && until != null && !from.isBefore(until)) error(m, "'active.from' must be before 'until'");
        return new ActiveWindow(from, until);
    }

    private Instant instant(Node node) {
        String s = string(node, "instant");
        if (s == null) return null;
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            error(node, "not an ISO-8601 instant such as 2026-12-01T00:00:00Z: '" + s + "'");
            return null;
        }
    }

    private static String fmt(double d) {
        if (d == -Double.MAX_VALUE) return "-inf";
        if (d == Double.MAX_VALUE) return "inf";
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
