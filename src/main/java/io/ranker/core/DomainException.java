package io.ranker.core;

import java.util.List;

/**
 * A request the service cannot carry out because of its input or its state, as opposed to a bug. Thrown by
 * the stages, replay and commands in their own words; only the HTTP layer ({@code api}) turns the {@link Kind}
 * into a status code and a problem document, and the command line into an exit code.
 */
public class DomainException extends RuntimeException {
    /** What kind of failure it is, independent of any protocol. */
    public enum Kind {
        /** malformed or out-of-range input */
        INVALID,
        /** the input names something that does not exist */
        NOT_FOUND,
        /** the input conflicts with the current state (a failed precondition) */
        CONFLICT,
        /** well-formed input that fails semantic validation */
        UNPROCESSABLE,
        /** the service cannot do it now; the caller may retry */
        UNAVAILABLE,
        /** the caller has used up its share (too many jobs of its own at once); it may retry when one ends */
        QUOTA_EXCEEDED
    }

    private final Kind kind;
    private final String title;
    private final List<FieldError> errors;

    public DomainException(Kind kind, String title, String detail, List<FieldError> errors) {
        super(detail);
        this.kind = kind;
        this.title = title;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public DomainException(Kind kind, String title, String detail) {
        this(kind, title, detail, null);
    }

    public static DomainException invalid(String detail) {
        return new DomainException(Kind.INVALID, "Bad request", detail);
    }

    public static DomainException invalid(String pointer, String detail) {
        return new DomainException(Kind.INVALID, "Bad request", detail, List.of(FieldError.at(pointer, detail)));
    }

    public static DomainException invalid(String detail, List<FieldError> errors) {
        return new DomainException(Kind.INVALID, "Bad request", detail, errors);
    }

    public static DomainException notFound(String detail) {
        return new DomainException(Kind.NOT_FOUND, "Not found", detail);
    }

    public static DomainException notFoundAt(String pointer, String detail) {
        return new DomainException(Kind.NOT_FOUND, "Not found", detail, List.of(FieldError.at(pointer, detail)));
    }

    public static DomainException unprocessable(String detail, List<FieldError> errors) {
        return new DomainException(Kind.UNPROCESSABLE, "Unprocessable content", detail, errors);
    }

    public static DomainException unprocessableAt(String pointer, String detail) {
        return unprocessable(detail, List.of(FieldError.at(pointer, detail)));
    }

    public static DomainException conflict(String detail) {
        return new DomainException(Kind.CONFLICT, "Conflict", detail);
    }

    public static DomainException unavailable(String title, String detail) {
        return new DomainException(Kind.UNAVAILABLE, title, detail);
    }

    public Kind kind() { return kind; }

    public String title() { return title; }

    /** Every individual mistake with where it is; empty when the detail says it all. */
    public List<FieldError> errors() { return errors; }
}
