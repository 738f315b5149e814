package io.ranker.policy;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One entry of a surface's activation history (append-only): which version became live, when, why and by whom.
 * The last entry is the live version.
 *
 * @param action   publish, file (seeded or reloaded from ranking-config), rollback or import
 * @param revision the surface's live revision this activation created (null in histories written before revisions)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PolicyActivation(String version, String action, String author, String comment, String at, Long revision) {

    public PolicyActivation(String version, String action, String author, String comment, String at) {
        this(version, action, author, comment, at, null);
    }

    public PolicyActivation withRevision(long r) {
        return new PolicyActivation(version, action, author, comment, at, r);
    }
}
