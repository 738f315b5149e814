package io.ranker.auth;

import java.util.Locale;
import java.util.Optional;

/**
 * What an API key may do. {@code admin} may do everything; {@code ingest} writes the catalog, features and feedback;
 * {@code rank} ranks (only asked for when {@code ranking.auth.rank-requires-key=true}).
 */
public enum Scope {
    RANK, INGEST, ADMIN;

    /** Whether a key holding this scope may do what {@code needed} guards. */
    public boolean grants(Scope needed) {
        return this == ADMIN || this == needed;
    }

    /** The name in key files and messages: {@code rank}, {@code ingest}, {@code admin}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Scope> parse(String s) {
        for (Scope v : values()) if (v.label().equals(s)) return Optional.of(v);
        return Optional.empty();
    }
}
