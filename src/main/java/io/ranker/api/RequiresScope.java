package io.ranker.api;

import io.ranker.auth.Scope;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The scope a resource method (or every method of a resource class) needs; {@link AccessFilter} enforces it before
 * the body is read. Every resource method carries this or {@link PublicEndpoint} (checked by a test); a method with
 * neither is treated as needing {@code admin}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface RequiresScope {
    Scope value();
}
