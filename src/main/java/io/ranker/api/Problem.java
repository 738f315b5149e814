package io.ranker.api;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.ranker.core.FieldError;

import java.util.List;

/**
 * An RFC 9457 problem document. {@code errors} lists every individual mistake with where it is
 * ({@code pointer} is a JSON pointer into the request body, or a line/column for YAML).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance,
                      List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

}
