package io.ranker.policy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads a policy rule file (YAML, format in {@code ranking-config/policies/policy.schema.json}) into rules,
 * collecting every error instead of stopping at the first. SnakeYAML composes the document with hard limits
 * (aliases, nesting depth, size), so alias bombs, deep nesting and huge files fail fast with a clear message;
 * walking the composed nodes keeps each value's line and column for the error report.
 * Never throws for bad input: every problem becomes a {@link PolicyError}.
 */
public final class PolicyParser {
    public static final int MAX_BYTES = 1 << 20;
    static final int MAX_ALIASES = 10;
    static final int MAX_DEPTH = 32;
    /** Bound on nodes visited, so the few allowed aliases still cannot expand into a huge tree. */
    static final int MAX_NODES = 50_000;
    static final Set<String> TYPES = Set.of("filter", "boost", "bury", "pin", "slot", "cap", "diversify",
            "freshness", "exclude_seen");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Set<String> COMMON_KEYS = Set.of("id", "type", "description", "active");
    private static final Map<String, Set<String>> TYPE_KEYS = Map.of(
            "filter", Set.of("when"),
            "boost", Set.of("when", "multiply", "add"),
            "bury", Set.of("when", "multiply", "add"),
            "pin", Set.of("item", "when", "position"),
            "slot", Set.of("when", "positions", "backfill"),
            "cap", Set.of("attribute", "max", "topK"),
            "diversify", Set.of("method", "attribute", "strength", "window"),
            "freshness", Set.of("when", "attribute", "halfLife", "floor"),
            "exclude_seen", Set.of("window", "events"));
    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private final ValidationLimits limits;
    private final SeenItems seen;

    public PolicyParser(ValidationLimits limits, SeenItems seen) {
        this.limits = limits;
        this.seen = seen;
    }

    /** The outcome: {@code policy} is null exactly when there are errors. */
    public record Result(ParsedPolicy policy, List<PolicyError> errors) {
        public boolean valid() { return errors.isEmpty(); }
    }

    /**
     * @param version   content hash of the canonical form (comments and formatting do not change it)
     * @param canonical the document as plain data (maps with sorted keys), for diffs and storage
     */
    public record ParsedPolicy(String version, String description, List<PolicyRule> rules,
                               Map<String, Object> canonical) {
    }

    public Result parse(String yaml) {
        try {
            return new Walk().run(yaml);
        } catch (StackOverflowError e) {
            // SnakeYAML's composer recurses too; whatever nesting the depth limit lets through must still be a 4xx.
            return new Result(null, List.of(new PolicyError(null, "", "the rule file is nested too deeply to read", null, null)));
        } catch (RuntimeException | Error e) {
            // Hostile or broken input must be a validation error, never a 500 or a swapped rule set.
            if (e instanceof VirtualMachineError && !(e instanceof OutOfMemoryError)) throw e;
            return new Result(null, List.of(new PolicyError(null, "", "cannot read the rule file: " + e, null, null)));
        }
    }

    static LoaderOptions loaderOptions() {
        LoaderOptions o = new LoaderOptions();
        o.setMaxAliasesForCollections(MAX_ALIASES);
        o.setNestingDepthLimit(MAX_DEPTH);
        o.setCodePointLimit(MAX_BYTES);
        o.setAllowDuplicateKeys(false);
        o.setAllowRecursiveKeys(false);
        return o;
    }

    /** Version of a canonical document: the first 12 hex digits of the SHA-256 of its sorted-key JSON. */
    public static String versionOf(Map<String, Object> canonical) {
        try {
            byte[] json = CANONICAL.writeValueAsBytes(canonical);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json)).substring(0, 12);
        } catch (Exception e) {
            throw new IllegalStateException("cannot hash policy", e);
        }
    }

    /** One parse: holds the error list and the node budget. */
    private final class Walk {
        final List<PolicyError> errors = new ArrayList<>();
        int nodes;
        String ruleId;
        String path = "";

        Result run(String yaml) {
            if (yaml == null || yaml.isBlank()) return fail(null, "the rule file is empty");
            if (yaml.length() > MAX_BYTES || yaml.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
                return fail(null, "the rule file is larger than " + MAX_BYTES + " bytes");
            }
            Node root;
            try {
                root = new Yaml(new SafeConstructor(loaderOptions()), new org.yaml.snakeyaml.representer.Representer(
                        new org.yaml.snakeyaml.DumperOptions()), new org.yaml.snakeyaml.DumperOptions(), loaderOptions())
                        .compose(new StringReader(yaml));
            } catch (MarkedYAMLException e) {
                Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
                String msg = (e.getContext() != null ? e.getContext() + ": " : "") + e.getProblem();
                return new Result(null, List.of(new PolicyError(null, "", "malformed YAML: " + msg,
                        m == null ? null : m.getLine() + 1, m == null ? null : m.getColumn() + 1)));
            } catch (YAMLException e) {
                return fail(null, "rejected YAML: " + e.getMessage());
            }
            if (root == null) return fail(null, "the rule file is empty");
            Node cycle = YamlGraph.firstCycle(root);
            if (cycle != null) return fail(cycle, "recursive alias: this node contains itself (an anchor used inside its own value)");
            Map<String, Object> canonical = canonical(root);
            if (canonical == null || !errors.isEmpty()) return new Result(null, List.copyOf(errors));
            PolicyDoc doc = document(root);
            if (doc != null) semantic(doc); // also over the rules that did parse, so one run reports everything
            if (!errors.isEmpty()) return new Result(null, List.copyOf(errors));
            return new Result(new ParsedPolicy(versionOf(canonical), doc.description, doc.rules, canonical), List.of());
        }

        Result fail(Node at, String message) {
            error(at, message);
            return new Result(null, List.copyOf(errors));
        }

        void error(Node at, String message) {
            Mark m = at == null ? null : at.getStartMark();
            errors.add(new PolicyError(ruleId, path, message, m == null ? null : m.getLine() + 1,
                    m == null ? null : m.getColumn() + 1));
        }

        // ---- canonical data (for hashing and diffs); also enforces the node budget ----

        @SuppressWarnings("unchecked")
        Map<String, Object> canonical(Node root) {
            Object data = data(root);
            if (data == null && !errors.isEmpty()) return null;
            if (!(data instanceof Map)) {
                fail(root, "the rule file must be a mapping with a 'rules' list");
                return null;
            }
            return (Map<String, Object>) data;
        }

        Object data(Node node) {
            if (++nodes > MAX_NODES) {
                if (nodes == MAX_NODES + 1) error(node, "the rule file expands to more than " + MAX_NODES + " values");
                return null;
            }
            if (node instanceof MappingNode m) {
                Map<String, Object> out = new TreeMap<>();
                for (NodeTuple t : m.getValue()) {
                    if (!(t.getKeyNode() instanceof ScalarNode k)) {
                        error(t.getKeyNode(), "keys must be plain strings");
                        return null;
                    }
                    if (out.containsKey(k.getValue())) {
                        error(k, "duplicate key '" + k.getValue() + "'");
                        continue;
                    }
                    out.put(k.getValue(), data(t.getValueNode()));
                }
                return out;
            }
            if (node instanceof SequenceNode s) {
                List<Object> out = new ArrayList<>();
                for (Node e : s.getValue()) out.add(data(e));
                return out;
            }
            ScalarNode s = (ScalarNode) node;
            Tag tag = s.getTag();
            String v = s.getValue();
            try {
                if (Tag.NULL.equals(tag)) return null;
                if (Tag.BOOL.equals(tag)) return Boolean.valueOf(v.toLowerCase());
                if (Tag.INT.equals(tag)) return Long.valueOf(v.replace("_", ""));
                if (Tag.FLOAT.equals(tag)) return Double.valueOf(v.replace("_", ""));
            } catch (NumberFormatException e) {
                return v;
            }
            return v;
        }

        // ---- structure ----

        record PolicyDoc(String description, List<PolicyRule> rules, Map<PolicyRule, Node> nodes) {
        }

        PolicyDoc document(Node root) {
            MappingNode top = (MappingNode) root;
            Map<String, Node> fields = fields(top, Set.of("surface", "description", "rules"));
            String description = fields.containsKey("description") ? string(fields.get("description"), "description") : null;
            if (fields.containsKey("surface")) string(fields.get("surface"), "surface");
            Node rulesNode = fields.get("rules");
            if (rulesNode == null) {
                error(top, "missing 'rules' (a list of rules; may be empty)");
                return null;
            }
            if (!(rulesNode instanceof SequenceNode seq)) {
                error(rulesNode, "'rules' must be a list");
                return null;
            }
            List<PolicyRule> rules = new ArrayList<>();
            Map<PolicyRule, Node> nodes = new HashMap<>();
            List<Node> items = seq.getValue();
            for (int i = 0; i < items.size(); i++) {
                path = "rules[" + i + "]";
                ruleId = null;
                PolicyRule r = rule(items.get(i));
                if (r != null) {
                    rules.add(r);
                    nodes.put(r, items.get(i));
                }
            }
            ruleId = null;
            path = "";
            return new PolicyDoc(description, rules, nodes);
        }

        PolicyRule rule(Node node) {
            if (!(node instanceof MappingNode m)) {
                error(node, "a rule must be a mapping with 'id' and 'type'");
                return null;
            }
            Map<String, Node> raw = fields(m, null);
            Node idNode = raw.get("id");
            String id = idNode == null ? null : string(idNode, "id");
            if (idNode == null) error(m, "missing 'id'");
            else if (id != null && !ID.matcher(id).matches()) {
                error(idNode, "'id' must be 1-64 letters, digits, '_', '.' or '-'");
            }
            if (id != null) ruleId = id;
            Node typeNode = raw.get("type");
            String type = typeNode == null ? null : string(typeNode, "type");
            if (typeNode == null) {
                error(m, "missing 'type' (one of " + new java.util.TreeSet<>(TYPES) + ")");
                return null;
            }
            if (type == null) return null;
            if (!TYPES.contains(type)) {
                error(typeNode, "unknown rule type '" + type + "' (one of " + new java.util.TreeSet<>(TYPES) + ")");
                return null;
            }
            Set<String> allowed = new LinkedHashSet<>(COMMON_KEYS);
            allowed.addAll(TYPE_KEYS.get(type));
            int before = errors.size();
            Map<String, Node> f = fields(m, allowed);
            ActiveWindow active = f.containsKey("active") ? window(f.get("active")) : ActiveWindow.ALWAYS;
            if (f.containsKey("description")) string(f.get("description"), "description");
            PolicyRule rule = switch (type) {
                case "filter" -> new DropMatching(id, active, requiredCondition(m, f, "when"));
                case "boost", "bury" -> scoreRule(type, id, active, m, f);
                case "pin" -> pin(id, active, m, f);
                case "slot" -> slot(id, active, m, f);
                case "cap" -> new CapPerAttribute(id, active, requiredString(m, f, "attribute"),
                        intValue(f.get("max"), "max", m, 0, 100_000, null),
                        intValue(f.get("topK"), "topK", m, 1, 100_000, null));
                case "diversify" -> diversify(id, active, m, f);
                case "freshness" -> new DecayWithAge(id, active,
                        f.containsKey("when") ? condition(f.get("when"), 0) : Condition.ALWAYS,
                        f.containsKey("attribute") ? string(f.get("attribute"), "attribute") : "created_at",
                        requiredDuration(m, f, "halfLife"),
                        f.containsKey("floor") ? number(f.get("floor"), "floor", 0, 1) : 0.0);
                case "exclude_seen" -> new DropSeenItems(id, active, requiredDuration(m, f, "window"),
                        f.containsKey("events") ? Set.copyOf(strings(f.get("events"), "events")) : Set.of(), seen);
                default -> null;
            };
            return errors.size() == before && id != null ? rule : null;
        }

        PolicyRule scoreRule(String type, String id, ActiveWindow active, MappingNode m, Map<String, Node> f) {
            Condition when = requiredCondition(m, f, "when");
            if (!f.containsKey("multiply") && !f.containsKey("add")) {
                error(m, "a " + type + " needs 'multiply' and/or 'add'");
                return null;
            }
            double multiply = f.containsKey("multiply") ? number(f.get("multiply"), "multiply", 0, 1e6) : 1.0;
            double add = f.containsKey("add") ? number(f.get("add"), "add", -1e6, 1e6) : 0.0;
            if (type.equals("boost")) {
                if (multiply < 1 || add < 0) error(m, "a boost must not lower scores: multiply >= 1 and add >= 0 (use bury)");
                return new BoostMatching(id, active, when, multiply, add);
            }
            if (multiply > 1 || add > 0) error(m, "a bury must not raise scores: multiply <= 1 and add <= 0 (use boost)");
            return new BuryMatching(id, active, when, multiply, add);
        }

        PolicyRule pin(String id, ActiveWindow active, MappingNode m, Map<String, Node> f) {
            String item = f.containsKey("item") ? string(f.get("item"), "item") : null;
            Condition when = f.containsKey("when") ? condition(f.get("when"), 0) : null;
            if (f.containsKey("item") == f.containsKey("when")) {
                error(m, "a pin needs exactly one of 'item' (an item id) or 'when' (the best matching item)");
            }
            int position = intValue(f.get("position"), "position", m, 1, 100_000, null);
            return new PinItem(id, active, item, when, position);
        }

        PolicyRule slot(String id, ActiveWindow active, MappingNode m, Map<String, Node> f) {
            Condition when = requiredCondition(m, f, "when");
            Node p = f.get("positions");
            List<Integer> positions = new ArrayList<>();
            if (p == null) error(m, "missing 'positions' (a list of 1-based positions)");
            else if (p instanceof SequenceNode s && !s.getValue().isEmpty()) {
                for (Node e : s.getValue()) {
                    int v = intValue(e, "positions", m, 1, 100_000, null);
                    if (positions.contains(v)) error(e, "position " + v + " is listed twice");
                    positions.add(v);
                }
            } else error(p, "'positions' must be a non-empty list of 1-based positions");
            positions.sort(null);
            Condition backfill = f.containsKey("backfill") ? condition(f.get("backfill"), 0) : null;
            return new ReserveSlots(id, active, when, List.copyOf(positions), backfill);
        }

        PolicyRule diversify(String id, ActiveWindow active, MappingNode m, Map<String, Node> f) {
            String method = f.containsKey("method") ? string(f.get("method"), "method") : "attribute";
            DiversifyResults.Method mth = null;
            if ("attribute".equals(method)) mth = DiversifyResults.Method.ATTRIBUTE;
            else if ("mmr".equals(method)) mth = DiversifyResults.Method.MMR;
            else if (method != null) error(f.get("method"), "'method' must be 'attribute' or 'mmr'");
            String attribute = f.containsKey("attribute") ? string(f.get("attribute"), "attribute") : null;
            if (mth == DiversifyResults.Method.ATTRIBUTE && attribute == null && !f.containsKey("attribute")) {
                error(m, "diversify by attribute needs 'attribute' (e.g. category)");
            }
            double strength = f.containsKey("strength") ? number(f.get("strength"), "strength", 0, 1) : 0.3;
            int window = f.containsKey("window") ? intValue(f.get("window"), "window", m, 2, 1000, null) : 50;
            return new DiversifyResults(id, active, mth, attribute, strength, window);
        }

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

        Instant instant(Node node) {
            String s = string(node, "instant");
            if (s == null) return null;
            try {
                return Instant.parse(s);
            } catch (DateTimeParseException e) {
                error(node, "not an ISO-8601 instant such as 2026-12-01T00:00:00Z: '" + s + "'");
                return null;
            }
        }

        // ---- conditions ----

        Condition requiredCondition(MappingNode rule, Map<String, Node> f, String key) {
            if (!f.containsKey(key)) {
                error(rule, "missing '" + key + "' (a condition)");
                return null;
            }
            return condition(f.get(key), 0);
        }

        Condition condition(Node node, int depth) {
            if (depth > 16) {
                error(node, "conditions nest deeper than 16 levels");
                return null;
            }
            if (!(node instanceof MappingNode m)) {
                error(node, "a condition must be a mapping: {attribute|context: NAME, eq|in|range|exists|prefix: ...}, "
                        + "{segment: VALUE}, or all/any/not");
                return null;
            }
            Map<String, Node> f = fields(m, Set.of("all", "any", "not", "attribute", "context", "segment",
                    "eq", "in", "range", "exists", "prefix"));
            for (String comb : List.of("all", "any", "not")) {
                if (!f.containsKey(comb)) continue;
                if (f.size() != 1) {
                    error(m, "'" + comb + "' must be the only key of its condition");
                    return null;
                }
                Node v = f.get(comb);
                if (comb.equals("not")) {
                    Condition c = condition(v, depth + 1);
                    return c == null ? null : new Condition.Not(c);
                }
                if (!(v instanceof SequenceNode s) || s.getValue().isEmpty()) {
                    error(v, "'" + comb + "' must be a non-empty list of conditions");
                    return null;
                }
                List<Condition> parts = new ArrayList<>();
                for (Node e : s.getValue()) parts.add(condition(e, depth + 1));
                if (parts.contains(null)) return null;
                return comb.equals("all") ? new Condition.All(parts) : new Condition.Any(parts);
            }
            if (f.containsKey("segment")) {
                if (f.size() != 1) {
                    error(m, "'segment' is a shorthand: {segment: VALUE} or {segment: [VALUES]}, with no other key");
                    return null;
                }
                Condition.Field seg = new Condition.Field(true, "segment");
                Node v = f.get("segment");
                if (v instanceof SequenceNode) return new Condition.In(seg, operands(v));
                String s = scalar(v, "segment");
                return s == null ? null : new Condition.Eq(seg, Condition.Operand.of(s));
            }
            boolean attr = f.containsKey("attribute"), ctx = f.containsKey("context");
            if (attr == ctx) {
                error(m, "a condition names exactly one of 'attribute' (item) or 'context' (request), or uses all/any/not");
                return null;
            }
            String name = string(f.get(attr ? "attribute" : "context"), attr ? "attribute" : "context");
            if (name == null) return null;
            Condition.Field field = new Condition.Field(ctx, name);
            List<String> ops = new ArrayList<>();
            for (String op : List.of("eq", "in", "range", "exists", "prefix")) if (f.containsKey(op)) ops.add(op);
            if (ops.size() != 1) {
                error(m, "a condition needs exactly one operator of eq, in, range, exists, prefix (found " + ops + ")");
                return null;
            }
            Node v = f.get(ops.get(0));
            switch (ops.get(0)) {
                case "eq" -> {
                    String s = scalar(v, "eq");
                    return s == null ? null : new Condition.Eq(field, Condition.Operand.of(s));
                }
                case "in" -> {
                    if (!(v instanceof SequenceNode)) {
                        error(v, "'in' must be a list of values");
                        return null;
                    }
                    List<Condition.Operand> operands = operands(v);
                    return operands == null ? null : new Condition.In(field, operands);
                }
                case "range" -> {
                    if (!(v instanceof MappingNode rm)) {
                        error(v, "'range' must be a mapping with 'min' and/or 'max'");
                        return null;
                    }
                    Map<String, Node> r = fields(rm, Set.of("min", "max"));
                    if (r.isEmpty()) error(rm, "'range' needs 'min' and/or 'max'");
                    Double min = r.containsKey("min") ? number(r.get("min"), "min", -Double.MAX_VALUE, Double.MAX_VALUE) : null;
                    Double max = r.containsKey("max") ? number(r.get("max"), "max", -Double.MAX_VALUE, Double.MAX_VALUE) : null;
                    if (min != null && max != null && min > max) error(rm, "'range.min' is greater than 'range.max'");
                    return new Condition.Range(field, min, max);
                }
                case "exists" -> {
                    Boolean b = bool(v, "exists");
                    return b == null ? null : new Condition.Exists(field, b);
                }
                default -> {
                    String s = scalar(v, "prefix");
                    return s == null ? null : new Condition.Prefix(field, s);
                }
            }
        }

        List<Condition.Operand> operands(Node v) {
            List<Condition.Operand> out = new ArrayList<>();
            for (Node e : ((SequenceNode) v).getValue()) {
                String s = scalar(e, "value");
                if (s == null) return null;
                out.add(Condition.Operand.of(s));
            }
            if (out.isEmpty()) {
                error(v, "the list of values is empty");
                return null;
            }
            return out;
        }

        // ---- scalar helpers ----

        /** Mapping keys to value nodes; unknown keys are errors when {@code allowed} is given. */
        Map<String, Node> fields(MappingNode m, Set<String> allowed) {
            Map<String, Node> out = new LinkedHashMap<>();
            for (NodeTuple t : m.getValue()) {
                String key = ((ScalarNode) t.getKeyNode()).getValue();
                if (allowed != null && !allowed.contains(key)) {
                    error(t.getKeyNode(), "unknown key '" + key + "' (expected one of " + new java.util.TreeSet<>(allowed) + ")");
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

        String requiredString(MappingNode rule, Map<String, Node> f, String key) {
            if (!f.containsKey(key)) {
                error(rule, "missing '" + key + "'");
                return null;
            }
            return string(f.get(key), key);
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

        long requiredDuration(MappingNode rule, Map<String, Node> f, String key) {
            if (!f.containsKey(key)) {
                error(rule, "missing '" + key + "' (a duration such as 30m, 12h, 7d)");
                return 1;
            }
            Node node = f.get(key);
            String s = scalar(node, key);
            if (s == null) return 1;
            long ms = Durations.parseMillis(s);
            if (ms <= 0) {
                error(node, "'" + key + "' must be a positive duration such as 30m, 12h, 7d or PT12H, got '" + s + "'");
                return 1;
            }
            return ms;
        }

        // ---- semantics (need every rule) ----

        void semantic(PolicyDoc doc) {
            Set<String> ids = new java.util.HashSet<>();
            Map<Integer, String> pinned = new HashMap<>();
            Map<Integer, String> slotted = new HashMap<>();
            Map<String, String> capped = new HashMap<>();
            int maxList = limits.maxListSize();
            for (PolicyRule r : doc.rules) {
                ruleId = r.id();
                Node at = doc.nodes.get(r);
                path = "";
                if (!ids.add(r.id())) error(at, "duplicate rule id");
                if (!limits.knownAttributes().isEmpty()) {
                    Set<String> used = new java.util.TreeSet<>();
                    r.collectAttributes(used);
                    for (String a : used) {
                        if (!a.equals("id") && !limits.knownAttributes().contains(a)) {
                            error(at, "unknown attribute '" + a + "' (" + io.ranker.core.KnownNames.describe(a, limits.knownAttributes(),
                                    "catalog attributes", "GET /v1/catalog/attributes") + ")");
                        }
                    }
                }
                if (r instanceof PinItem p) {
                    if (p.position() > maxList) {
                        error(at, "impossible pin: position " + p.position() + " is beyond the largest list (" + maxList + ")");
                    } else if (pinned.containsKey(p.position())) {
                        error(at, "impossible pin: position " + p.position() + " is already pinned by rule '" + pinned.get(p.position()) + "'");
                    } else if (slotted.containsKey(p.position())) {
                        error(at, "impossible pin: position " + p.position() + " is reserved by slot rule '" + slotted.get(p.position()) + "'");
                    }
                    pinned.putIfAbsent(p.position(), p.id());
                } else if (r instanceof ReserveSlots s) {
                    for (int pos : s.positions()) {
                        if (pos > maxList) {
                            error(at, "slot beyond the list size: position " + pos + " > the largest list (" + maxList + ")");
                        } else if (pinned.containsKey(pos)) {
                            error(at, "slot position " + pos + " is already pinned by rule '" + pinned.get(pos) + "'");
                        } else if (slotted.containsKey(pos)) {
                            error(at, "slot position " + pos + " is already reserved by slot rule '" + slotted.get(pos) + "'");
                        }
                        slotted.putIfAbsent(pos, s.id());
                    }
                } else if (r instanceof CapPerAttribute c) {
                    String other = capped.putIfAbsent(c.attribute(), c.id());
                    if (other != null) {
                        error(at, "contradictory caps: '" + c.attribute() + "' is already capped by rule '" + other
                                + "'; use one cap per attribute");
                    }
                    if (c.max() == 0 && c.topK() >= maxList) {
                        error(at, "contradictory cap: max 0 within the top " + c.topK() + " removes every item with a '"
                                + c.attribute() + "'; use a filter");
                    }
                } else if (r instanceof DiversifyResults d && d.method() == DiversifyResults.Method.MMR && d.attribute() != null) {
                    error(at, "diversify with method mmr uses the item vectors and takes no 'attribute'");
                }
            }
            ruleId = null;
        }
    }

    private static String fmt(double d) {
        if (d == -Double.MAX_VALUE) return "-inf";
        if (d == Double.MAX_VALUE) return "inf";
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
