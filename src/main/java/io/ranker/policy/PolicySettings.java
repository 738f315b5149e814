package io.ranker.policy;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.util.List;
import java.util.Optional;

/** Service settings of the policy stage ({@code ranking.policy.*}); the rules themselves live in ranking-config. */
@ConfigMapping(prefix = "ranking.policy")
public interface PolicySettings {
    /** How often rule files in {@code <config-dir>/policies/} are checked for changes. */
    @WithName("reload-interval")
    @WithDefault("2s")
    String reloadInterval();

    /** The largest list a request may ask for: pins and slots beyond it are rejected as impossible. */
    @WithName("max-list-size")
    @WithDefault("100")
    int maxListSize();

    /**
     * Item attribute names rules may use, when no {@link KnownAttributes} bean supplies the catalog's. Unset and
     * no bean: the unknown-attribute check is off.
     */
    @WithName("known-attributes")
    Optional<List<String>> knownAttributes();

    /** Events kept per user in the seen history (in Redis when the features are, else in memory). */
    @WithName("seen-max-per-user")
    @WithDefault("500")
    int seenMaxPerUser();

    /**
     * Events kept over all users in the in-memory seen history (Redis has its own memory policy); past it, the users
     * idle longest are forgotten.
     */
    @WithName("seen-max-events")
    @WithDefault("2000000")
    long seenMaxEvents();
}
