package io.ranker.api;

import io.ranker.core.FieldError;
import java.util.List;

/** Thrown anywhere in request handling to answer with a problem document instead of a 500. */
public class ProblemException extends RuntimeException {
    private final int status;
    private final String title;
    private final List<FieldError> errors;

    public ProblemException(int status, String title, String detail) {
        this(status, title, detail, null);
    }

    public ProblemException(int status, String title, String detail, List<FieldError> errors) {
        super(detail);
        this.status = status;
        this.title = title;
        this.errors = errors;
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(400, "Bad request", detail);
    }

    public static ProblemException badRequest(String pointer, String detail) {
        return new ProblemException(400, "Bad request", detail, List.of(FieldError.at(pointer, detail)));
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "Not found", detail);
    }

    public static ProblemException notFoundAt(String pointer, String detail) {
        return new ProblemException(404, "Not found", detail, List.of(FieldError.at(pointer, detail)));
    }

    public static ProblemException unprocessable(String detail, List<FieldError> errors) {
        return new ProblemException(422, "Unprocessable content", detail, errors);
    }

    public int status() { return status; }

    public String title() { return title; }

    public List<FieldError> errors() { return errors; }

    /** HTTP headers the answer carries besides the problem document (e.g. Retry-After); none by default. */
    public java.util.Map<String, Object> headers() { return java.util.Map.of(); }

    /** The same problem with every error's pointer moved under {@code prefix} (for a body nested in another). */
    public ProblemException under(String prefix) {
        List<FieldError> moved = errors == null ? null : errors.stream()
                .map(e -> new FieldError(e.pointer() == null ? null : prefix + e.pointer(), e.message(), e.line(), e.column())).toList();
        ProblemException outer = this;
        return new ProblemException(status, title, getMessage(), moved) {
            @Override
            public java.util.Map<String, Object> headers() { return outer.headers(); }
        };
    }

    public Problem toProblem(String instance) {
        return new Problem("about:blank", title, status, getMessage(), instance, errors);
    }
}
