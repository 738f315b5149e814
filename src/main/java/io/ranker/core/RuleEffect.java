package io.ranker.core;

/**
 * What one policy rule did to one candidate, for explain output and replay diffs.
 *
 * @param rule   the rule id from the policy file
 * @param action a short verb: filtered, boosted, buried, pinned, slotted, capped, diversified, decayed, ...
 * @param detail human-readable detail such as "score 0.31 -> 0.46" or "moved 7 -> 3"
 */
public record RuleEffect(String rule, String action, String detail) {
}
