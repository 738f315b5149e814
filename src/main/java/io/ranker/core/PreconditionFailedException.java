package io.ranker.core;

/**
 * A change was made against a version that is no longer current (an {@code If-Match} precondition that does not
 * hold): somebody else changed it first. Nothing was changed; {@link #currentVersion()} names what is current now,
 * so the caller can look at it and decide again. The HTTP layer answers 409 with that version.
 */
public final class PreconditionFailedException extends DomainException {
    private final String currentVersion;

    public PreconditionFailedException(String what, String expected, String currentVersion) {
        super(Kind.CONFLICT, "Conflict", what + " is " + (currentVersion == null ? "not set" : "at version " + currentVersion)
                + ", not " + expected + " as the request expected (If-Match): somebody changed it first; nothing was changed");
        this.currentVersion = currentVersion;
    }

    /** The version that is current now (null when there is none). */
    public String currentVersion() { return currentVersion; }
}
