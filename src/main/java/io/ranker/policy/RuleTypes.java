package io.ranker.policy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every rule type a rule file may use, in one place. Adding a rule type: its rule class with its {@link RuleType}
 * next to it, one line here, and its entry in {@code ranking-config/policies/policy.schema.json} (the published
 * vocabulary the console builds its forms from; PolicyConfigFilesTest checks the two agree) and the README.
 */
final class RuleTypes {
    static final List<RuleType<?>> ALL = List.of(
            DropMatching.TYPE,
            DropSeenItems.TYPE,
            BoostMatching.TYPE,
            BuryMatching.TYPE,
            DecayWithAge.TYPE,
            BoostNewItems.TYPE,
            DiversifyResults.TYPE,
            PinItem.TYPE,
            ReserveSlots.TYPE,
            CapPerAttribute.TYPE);

    private static final Map<String, RuleType<?>> BY_NAME = new LinkedHashMap<>();

    static {
        for (RuleType<?> t : ALL) {
            if (BY_NAME.put(t.name(), t) != null) throw new IllegalStateException("rule type " + t.name() + " twice");
        }
    }

    private RuleTypes() {
    }

    /** The type named {@code name}, or null. */
    static RuleType<?> named(String name) {
        return BY_NAME.get(name);
    }

    /** The type names, sorted (for messages). */
    static Set<String> names() {
        return new TreeSet<>(BY_NAME.keySet());
    }
}
