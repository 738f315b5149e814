package io.ranker.policy;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a {@link Condition} out of a rule file (the grammar in {@code policy.schema.json}, {@code $defs.condition}).
 * Shared by every rule type that takes a condition ({@code when}, {@code backfill}), so conditions mean the same
 * everywhere. Returns null after reporting an error.
 */
final class ConditionReader {
    static final int MAX_DEPTH = 16;
    private static final Set<String> KEYS = Set.of("all", "any", "not", "attribute", "context", "segment",
            "eq", "in", "range", "exists", "prefix");
    private static final List<String> OPERATORS = List.of("eq", "in", "range", "exists", "prefix");

    private final RuleFileReader in;

    ConditionReader(RuleFileReader in) {
        this.in = in;
    }

    Condition read(Node node) {
        return condition(node, 0);
    }

    private Condition condition(Node node, int depth) {
        if (depth > MAX_DEPTH) {
            in.error(node, "conditions nest deeper than " + MAX_DEPTH + " levels");
            return null;
        }
        if (!(node instanceof MappingNode m)) {
            in.error(node, "a condition must be a mapping: {attribute|context: NAME, eq|in|range|exists|prefix: ...}, "
                    + "{segment: VALUE}, or all/any/not");
            return null;
        }
        Map<String, Node> f = in.fields(m, KEYS);
        for (String comb : List.of("all", "any", "not")) {
            if (f.containsKey(comb)) return combination(m, f, comb, depth);
        }
        if (f.containsKey("segment")) return segment(m, f);
        boolean attr = f.containsKey("attribute"), ctx = f.containsKey("context");
        if (attr == ctx) {
            in.error(m, "a condition names exactly one of 'attribute' (item) or 'context' (request), or uses all/any/not");
            return null;
        }
        String name = in.string(f.get(attr ? "attribute" : "context"), attr ? "attribute" : "context");
        if (name == null) return null;
        Condition.Field field = new Condition.Field(ctx, name);
        List<String> ops = new ArrayList<>();
        for (String op : OPERATORS) if (f.containsKey(op)) ops.add(op);
        if (ops.size() != 1) {
            in.error(m, "a condition needs exactly one operator of eq, in, range, exists, prefix (found " + ops + ")");
            return null;
        }
        return leaf(field, ops.get(0), f.get(ops.get(0)));
    }

    private Condition combination(MappingNode m, Map<String, Node> f, String comb, int depth) {
        if (f.size() != 1) {
            in.error(m, "'" + comb + "' must be the only key of its condition");
            return null;
        }
        Node v = f.get(comb);
        if (comb.equals("not")) {
            Condition c = condition(v, depth + 1);
            return c == null ? null : new Condition.Not(c);
        }
        if (!(v instanceof SequenceNode s) || s.getValue().isEmpty()) {
            in.error(v, "'" + comb + "' must be a non-empty list of conditions");
            return null;
        }
        List<Condition> parts = new ArrayList<>();
        for (Node e : s.getValue()) parts.add(condition(e, depth + 1));
        if (parts.contains(null)) return null;
        return comb.equals("all") ? new Condition.All(parts) : new Condition.Any(parts);
    }

    /** {@code {segment: VALUE}} or {@code {segment: [VALUES]}}: the request context key {@code segment}. */
    private Condition segment(MappingNode m, Map<String, Node> f) {
        if (f.size() != 1) {
            in.error(m, "'segment' is a shorthand: {segment: VALUE} or {segment: [VALUES]}, with no other key");
            return null;
        }
        Condition.Field seg = new Condition.Field(true, "segment");
        Node v = f.get("segment");
        if (v instanceof SequenceNode) return new Condition.In(seg, operands(v));
        String s = in.scalar(v, "segment");
        return s == null ? null : new Condition.Eq(seg, Condition.Operand.of(s));
    }

    private Condition leaf(Condition.Field field, String op, Node v) {
        switch (op) {
            case "eq" -> {
                String s = in.scalar(v, "eq");
                return s == null ? null : new Condition.Eq(field, Condition.Operand.of(s));
            }
            case "in" -> {
                if (!(v instanceof SequenceNode)) {
                    in.error(v, "'in' must be a list of values");
                    return null;
                }
                List<Condition.Operand> operands = operands(v);
                return operands == null ? null : new Condition.In(field, operands);
            }
            case "range" -> {
                if (!(v instanceof MappingNode rm)) {
                    in.error(v, "'range' must be a mapping with 'min' and/or 'max'");
                    return null;
                }
                Map<String, Node> r = in.fields(rm, Set.of("min", "max"));
                if (r.isEmpty()) in.error(rm, "'range' needs 'min' and/or 'max'");
                Double min = r.containsKey("min") ? in.number(r.get("min"), "min", -Double.MAX_VALUE, Double.MAX_VALUE) : null;
                Double max = r.containsKey("max") ? in.number(r.get("max"), "max", -Double.MAX_VALUE, Double.MAX_VALUE) : null;
                if (min != null && max != null && min > max) in.error(rm, "'range.min' is greater than 'range.max'");
                return new Condition.Range(field, min, max);
            }
            case "exists" -> {
                Boolean b = in.bool(v, "exists");
                return b == null ? null : new Condition.Exists(field, b);
            }
            default -> {
                String s = in.scalar(v, "prefix");
                return s == null ? null : new Condition.Prefix(field, s);
            }
        }
    }

    private List<Condition.Operand> operands(Node v) {
        List<Condition.Operand> out = new ArrayList<>();
        for (Node e : ((SequenceNode) v).getValue()) {
            String s = in.scalar(e, "value");
            if (s == null) return null;
            out.add(Condition.Operand.of(s));
        }
        if (out.isEmpty()) {
            in.error(v, "the list of values is empty");
            return null;
        }
        return out;
    }
}
