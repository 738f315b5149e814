package io.ranker.policy;

/**
 * One mistake in a rule file. Structural errors carry the 1-based line and column; semantic errors carry the
 * rule id (and the line of the rule when known).
 *
 * @param rule the rule id, or null for file-level errors
 * @param path where in the document, e.g. {@code rules[2].when.range}
 */
public record PolicyError(String rule, String path, String message, Integer line, Integer column) {
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        if (line != null) b.append(line).append(':').append(column).append(": ");
        if (rule != null) b.append("rule '").append(rule).append("': ");
        else if (path != null && !path.isEmpty()) b.append(path).append(": ");
        return b.append(message).toString();
    }
}
