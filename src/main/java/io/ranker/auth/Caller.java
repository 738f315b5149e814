package io.ranker.auth;

import java.util.Set;

/**
 * Who sent a request, as decided by the access filter: the name recorded as the actor in audit trails (policy
 * history, model audit, replay jobs) and what it may do.
 *
 * @param name   a key's configured name; {@code admin} for the legacy admin token; {@code local} for an unauthenticated
 *               caller on this host while no key is configured; {@code anonymous} for an open endpoint
 * @param scopes what it may do
 * @param how    how it was recognised
 */
public record Caller(String name, Set<Scope> scopes, How how) {
    public enum How { API_KEY, ADMIN_TOKEN, LOOPBACK_WITHOUT_KEYS, ANONYMOUS }

    public static final Caller ANONYMOUS = new Caller("anonymous", Set.of(), How.ANONYMOUS);
    public static final Caller LOCAL = new Caller("local", Set.of(Scope.values()), How.LOOPBACK_WITHOUT_KEYS);

    public boolean may(Scope needed) {
        for (Scope s : scopes) if (s.grants(needed)) return true;
        return false;
    }
}
