package io.ranker.policy;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One rule's entry in a rule file, as its {@link RuleType} sees it: the common header (id, active window), typed
 * reads of its own keys, and the services a rule may need at run time. Every read reports its problem with the
 * line and column of the value (or of the rule when a key is missing) and returns a placeholder, so a rule type
 * just reads its keys in order and builds its rule; the parser drops a rule that had an error.
 */
final class RuleFields {
    private final RuleFileReader in;
    private final ConditionReader conditions;
    private final MappingNode rule;
    private final Map<String, Node> fields;
    private final String id;
    private final ActiveWindow active;
    private final SeenItems seen;

    RuleFields(RuleFileReader in, ConditionReader conditions, MappingNode rule, Map<String, Node> fields,
               String id, ActiveWindow active, SeenItems seen) {
        this.in = in;
        this.conditions = conditions;
        this.rule = rule;
        this.fields = fields;
        this.id = id;
        this.active = active;
        this.seen = seen;
    }

    String id() { return id; }

    ActiveWindow active() { return active; }

    /** The user history that {@code exclude_seen} reads. */
    SeenItems seenItems() { return seen; }

    boolean has(String key) { return fields.containsKey(key); }

    /** An error about the rule as a whole (a missing key, an impossible combination). */
    void error(String message) { in.error(rule, message); }

    /** An error about one key's value. */
    void error(String key, String message) { in.error(fields.getOrDefault(key, rule), message); }

    Condition requiredCondition(String key) {
        if (!has(key)) {
            error("missing '" + key + "' (a condition)");
            return null;
        }
        return conditions.read(fields.get(key));
    }

    /** The condition under {@code key}, or {@code absent} when the rule does not give one. */
    Condition condition(String key, Condition absent) {
        return has(key) ? conditions.read(fields.get(key)) : absent;
    }

    String requiredString(String key) {
        if (!has(key)) {
            error("missing '" + key + "'");
            return null;
        }
        return in.string(fields.get(key), key);
    }

    String string(String key, String absent) {
        return has(key) ? in.string(fields.get(key), key) : absent;
    }

    /** A list of non-empty strings, or {@code absent}. */
    List<String> strings(String key, List<String> absent) {
        return has(key) ? in.strings(fields.get(key), key) : absent;
    }

    double number(String key, double min, double max, double absent) {
        return has(key) ? in.number(fields.get(key), key, min, max) : absent;
    }

    int requiredInt(String key, int min, int max) {
        return in.intValue(fields.get(key), key, rule, min, max, null);
    }

    int integer(String key, int min, int max, int absent) {
        return in.intValue(fields.get(key), key, rule, min, max, absent);
    }

    /** A list of distinct 1-based positions, sorted. */
    List<Integer> positions(String key) {
        Node p = fields.get(key);
        List<Integer> positions = new ArrayList<>();
        if (p == null) error("missing '" + key + "' (a list of 1-based positions)");
        else if (p instanceof SequenceNode s && !s.getValue().isEmpty()) {
            for (Node e : s.getValue()) {
                int v = in.intValue(e, key, rule, 1, 100_000, null);
                if (positions.contains(v)) in.error(e, "position " + v + " is listed twice");
                positions.add(v);
            }
        } else in.error(p, "'" + key + "' must be a non-empty list of 1-based positions");
        positions.sort(null);
        return List.copyOf(positions);
    }

    /** A positive duration in milliseconds ({@code 30m}, {@code 12h}, {@code 7d}, {@code PT12H}). */
    long requiredDuration(String key) {
        if (!has(key)) {
            error("missing '" + key + "' (a duration such as 30m, 12h, 7d)");
            return 1;
        }
        return in.duration(fields.get(key), key);
    }

    /** Keys every rule type takes besides its own. */
    static final Set<String> COMMON_KEYS = Set.of("id", "type", "description", "active");
}
