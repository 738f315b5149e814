package io.ranker.core;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One mistake in a caller's input and where it is: {@code pointer} is a JSON pointer into the request body
 * (or a rule file path), {@code line}/{@code column} locate it in YAML text when known.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FieldError(String pointer, String message, Integer line, Integer column) {
    public static FieldError at(String pointer, String message) {
        return new FieldError(pointer, message, null, null);
    }
}
