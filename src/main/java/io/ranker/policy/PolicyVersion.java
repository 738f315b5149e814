package io.ranker.policy;

/**
 * Metadata of one published rule set. Immutable: the rule text is stored once under its content hash and
 * never rewritten.
 *
 * @param version     content hash of the canonical rule set (see {@link PolicyParser#versionOf})
 * @param publishedAt ISO-8601 instant of the first publication of this content
 * @param source      "api" (PUT /v1/policies), "file" (ranking-config hot reload) or "cli"
 */
public record PolicyVersion(String surface, String version, String author, String comment, String publishedAt,
                            String source, int ruleCount) {
}
