package io.ranker.policy;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What a rule type's set-wide check sees: the largest list a request may ask for, ledgers shared by the checks
 * of one rule set (which rule took a position, which rule capped an attribute), and where to report. Lives for
 * one parse; the checks run in declared order, so a ledger names the earlier rule.
 */
final class RuleSetCheck {
    private final int maxListSize;
    private final Map<String, Map<Object, String>> ledgers = new HashMap<>();
    private final Consumer<String> report;

    RuleSetCheck(int maxListSize, Consumer<String> report) {
        this.maxListSize = maxListSize;
        this.report = report;
    }

    int maxListSize() { return maxListSize; }

    /**
     * A named ledger, key to the id of the rule that claimed it first (e.g. {@code "pin"}: position to rule).
     * Mutable: a check reads the earlier claims and adds its own.
     */
    Map<Object, String> ledger(String name) {
        return ledgers.computeIfAbsent(name, n -> new HashMap<>());
    }

    /** A problem of the rule being checked (reported with its id). */
    void error(String message) {
        report.accept(message);
    }
}
