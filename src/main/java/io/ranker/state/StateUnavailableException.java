package io.ranker.state;

import io.ranker.core.DomainException;

/**
 * The shared state store could not be reached (or did not answer in time), so a change was not made. The HTTP
 * layer answers 503; the caller may retry. Serving is never affected: it reads the state loaded before.
 */
public final class StateUnavailableException extends DomainException {
    public StateUnavailableException(String detail) {
        super(Kind.UNAVAILABLE, "Shared state unavailable", detail);
    }

    public StateUnavailableException(String detail, Throwable cause) {
        this(detail);
        initCause(cause);
    }
}
