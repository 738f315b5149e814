package io.ranker.policy;

/**
 * One entry of a surface's activation history (append-only {@code history.jsonl}): which version became live,
 * when, why and by whom. The last entry is the live version.
 *
 * @param action publish, file (ranking-config reload) or rollback
 */
public record PolicyActivation(String version, String action, String author, String comment, String at) {
}
