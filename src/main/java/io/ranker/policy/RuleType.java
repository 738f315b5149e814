package io.ranker.policy;

import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The vocabulary of one rule type, declared next to the rule it builds: its name in a rule file ({@code type:}),
 * the keys it takes besides the common ones ({@code id}, {@code type}, {@code description}, {@code active}), how
 * it reads them into the rule, and what it checks against the other rules of the set. The rule itself is an
 * immutable value (its own config record); it lives as long as its rule set. Registered in {@link RuleTypes};
 * described for users by {@code ranking-config/policies/policy.schema.json}, which a test keeps in step.
 *
 * @param name   the {@code type:} value
 * @param keys   the rule type's own keys; any other key is an error
 * @param reader reads the keys in order and builds the rule; reports problems through {@link RuleFields} (the
 *               parser drops a rule whose reading reported an error, so a partial rule is fine)
 * @param check  checks that need every rule (positions already taken, one cap per attribute); runs after all
 *               rules parsed, over the valid ones, in declared order
 */
record RuleType<R extends PolicyRule>(String name, Set<String> keys, Function<RuleFields, R> reader,
                                      BiConsumer<R, RuleSetCheck> check) {
    RuleType(String name, Set<String> keys, Function<RuleFields, R> reader) {
        this(name, keys, reader, (rule, set) -> { });
    }

    RuleType {
        keys = Set.copyOf(keys);
    }

    R read(RuleFields fields) {
        return reader.apply(fields);
    }

    /** Runs the set-wide check of a rule this type read. */
    @SuppressWarnings("unchecked")
    void check(PolicyRule rule, RuleSetCheck set) {
        check.accept((R) rule, set);
    }
}
