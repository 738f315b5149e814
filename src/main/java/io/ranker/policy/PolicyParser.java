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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads a policy rule file (YAML, format in {@code ranking-config/policies/policy.schema.json}) into rules,
 * collecting every error instead of stopping at the first. SnakeYAML composes the document with hard limits
 * (aliases, nesting depth, size), so alias bombs, deep nesting and huge files fail fast with a clear message;
 * walking the composed nodes keeps each value's line and column for the error report.
 * Never throws for bad input: every problem becomes a {@link PolicyError}.
 * <p>The parser reads the document and each rule's common keys ({@code id}, {@code type}, {@code description},
 * {@code active}); the rule's own keys are read by its {@link RuleType} (registered in {@link RuleTypes}), and
 * conditions by the shared {@link ConditionReader}. Adding a rule type does not change this class.
 */
public final class PolicyParser {
    public static final int MAX_BYTES = 1 << 20;
    static final int MAX_ALIASES = 10;
    static final int MAX_DEPTH = 32;
    /** Bound on nodes visited, so the few allowed aliases still cannot expand into a huge tree. */
    static final int MAX_NODES = 50_000;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
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

    /** One parse: holds the error list (in the reader) and the node budget. */
    private final class Walk {
        final RuleFileReader in = new RuleFileReader();
        final ConditionReader conditions = new ConditionReader(in);
        final List<PolicyError> errors = in.errors;
        int nodes;

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
            return new Result(new ParsedPolicy(versionOf(canonical), doc.description, doc.policyRules(), canonical), List.of());
        }

        Result fail(Node at, String message) {
            error(at, message);
            return new Result(null, List.copyOf(errors));
        }

        void error(Node at, String message) {
            in.error(at, message);
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

        // ---- structure: the document, then each rule through its type ----

        /** A rule that read without error, with its type (for the set-wide checks) and its node (for positions). */
        record ParsedRule(PolicyRule rule, RuleType<?> type, Node node) {
        }

        record PolicyDoc(String description, List<ParsedRule> rules) {
            List<PolicyRule> policyRules() {
                return rules.stream().map(ParsedRule::rule).toList();
            }
        }

        PolicyDoc document(Node root) {
            MappingNode top = (MappingNode) root;
            Map<String, Node> fields = in.fields(top, Set.of("surface", "description", "rules"));
            String description = fields.containsKey("description") ? in.string(fields.get("description"), "description") : null;
            if (fields.containsKey("surface")) {
                String declared = in.string(fields.get("surface"), "surface");
                String unknown = declared == null ? null : limits.unknownSurface(declared);
                if (unknown != null) {
                    String was = in.path;
                    in.path = "surface";
                    in.error(fields.get("surface"), unknown);
                    in.path = was;
                }
            }
            Node rulesNode = fields.get("rules");
            if (rulesNode == null) {
                in.error(top, "missing 'rules' (a list of rules; may be empty)");
                return null;
            }
            if (!(rulesNode instanceof SequenceNode seq)) {
                in.error(rulesNode, "'rules' must be a list");
                return null;
            }
            List<ParsedRule> rules = new ArrayList<>();
            List<Node> items = seq.getValue();
            for (int i = 0; i < items.size(); i++) {
                in.path = "rules[" + i + "]";
                in.ruleId = null;
                ParsedRule r = rule(items.get(i));
                if (r != null) rules.add(r);
            }
            in.ruleId = null;
            in.path = "";
            return new PolicyDoc(description, rules);
        }

        /** The common keys here; the rule type reads its own. Null when anything about the rule was wrong. */
        ParsedRule rule(Node node) {
            if (!(node instanceof MappingNode m)) {
                in.error(node, "a rule must be a mapping with 'id' and 'type'");
                return null;
            }
            Map<String, Node> raw = in.fields(m, null);
            Node idNode = raw.get("id");
            String id = idNode == null ? null : in.string(idNode, "id");
            if (idNode == null) in.error(m, "missing 'id'");
            else if (id != null && !ID.matcher(id).matches()) {
                in.error(idNode, "'id' must be 1-64 letters, digits, '_', '.' or '-'");
            }
            if (id != null) in.ruleId = id;
            Node typeNode = raw.get("type");
            String typeName = typeNode == null ? null : in.string(typeNode, "type");
            if (typeNode == null) {
                in.error(m, "missing 'type' (one of " + RuleTypes.names() + ")");
                return null;
            }
            if (typeName == null) return null;
            RuleType<?> type = RuleTypes.named(typeName);
            if (type == null) {
                in.error(typeNode, "unknown rule type '" + typeName + "' (one of " + RuleTypes.names() + ")");
                return null;
            }
            Set<String> allowed = new LinkedHashSet<>(RuleFields.COMMON_KEYS);
            allowed.addAll(type.keys());
            int before = in.errors.size();
            Map<String, Node> f = in.fields(m, allowed);
            ActiveWindow active = f.containsKey("active") ? in.window(f.get("active")) : ActiveWindow.ALWAYS;
            if (f.containsKey("description")) in.string(f.get("description"), "description");
            PolicyRule rule = type.read(new RuleFields(in, conditions, m, f, id, active, seen));
            return in.errors.size() == before && id != null && rule != null ? new ParsedRule(rule, type, node) : null;
        }

        // ---- semantics (need every rule) ----

        void semantic(PolicyDoc doc) {
            Set<String> ids = new HashSet<>();
            Node[] at = new Node[1];
            RuleSetCheck set = new RuleSetCheck(limits.maxListSize(), message -> in.error(at[0], message));
            for (ParsedRule p : doc.rules) {
                PolicyRule r = p.rule();
                in.ruleId = r.id();
                in.path = "";
                at[0] = p.node();
                if (!ids.add(r.id())) in.error(at[0], "duplicate rule id");
                if (!limits.knownAttributes().isEmpty()) {
                    Set<String> used = new TreeSet<>();
                    r.collectAttributes(used);
                    for (String a : used) {
                        if (!a.equals("id") && !limits.knownAttributes().contains(a)) {
                            in.error(at[0], "unknown attribute '" + a + "' (" + io.ranker.core.KnownNames.describe(a, limits.knownAttributes(),
                                    "catalog attributes", "GET /v1/catalog/attributes") + ")");
                        }
                    }
                }
                p.type().check(r, set);
            }
            in.ruleId = null;
        }
    }
}
