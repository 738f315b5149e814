package io.ranker.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The most bytes a resource method's request body may have, counted while it arrives (a declared Content-Length and a
 * chunked body alike); {@link BodyIntake} enforces it. Without this annotation a body may have {@link #SMALL} bytes.
 * Bodies above {@link #SMALL} are uploads: they are spooled to disk as they arrive and limited in number at once.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface BodyLimit {
    /** A ranking request, feedback, replay and admin calls. */
    long SMALL = 1L << 20;
    /** A policy file (the parser's own limit is 1 MiB) plus, for a preview, the request to preview it on. */
    long POLICIES = 2L << 20;
    /** Up to 5,000 feature rows, each possibly with vectors. */
    long FEATURES = 32L << 20;
    /** Catalog loads and model uploads (the server-wide quarkus.http.limits.max-body-size). */
    long UPLOAD = 64L << 20;

    long value();
}
