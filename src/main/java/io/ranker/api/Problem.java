package io.ranker.api;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * An RFC 9457 problem document. {@code errors} lists every individual mistake with where it is
 * ({@code pointer} is a JSON pointer into the request body, or a line/column for YAML).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance,
                      List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FieldError(String pointer, String message, Integer line, Integer column) {
        public static FieldError at(String pointer, String message) {
            return new FieldError(pointer, message, null, null);
        }
    }
}
