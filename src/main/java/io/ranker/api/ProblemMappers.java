package io.ranker.api;

import io.ranker.core.FieldError;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.ranker.core.DomainException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;

/**
 * Renders every error as {@code application/problem+json} (RFC 9457): caller mistakes as 4xx with where
 * the mistake is, and anything unexpected as a 500 that is logged with its stack trace.
 */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        Response r = respond(e.toProblem(path(uri)));
        if (e.headers().isEmpty()) return r;
        Response.ResponseBuilder b = Response.fromResponse(r);
        e.headers().forEach(b::header);
        return b.build();
    }

    /** The stages' own failures: the kind decides the status, the rest is the stage's wording. */
    @ServerExceptionMapper
    public Response domain(DomainException e, UriInfo uri) {
        if (e instanceof io.ranker.core.PreconditionFailedException p) return conflict(p, uri);
        Response r = respond(new Problem("about:blank", e.title(), status(e.kind()), e.getMessage(), path(uri),
                e.errors().isEmpty() ? null : e.errors()));
        if (e.kind() != DomainException.Kind.QUOTA_EXCEEDED) return r;
        return Response.fromResponse(r).header("Retry-After", 10).build();
    }

    /**
     * A lost precondition: 409 with the version that is current now ({@code currentVersion}, also as the
     * {@code ETag}), so the caller can look at it and decide again.
     */
    private Response conflict(io.ranker.core.PreconditionFailedException e, UriInfo uri) {
        java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", e.title());
        body.put("status", 409);
        body.put("detail", e.getMessage());
        body.put("instance", path(uri));
        body.put("currentVersion", e.currentVersion());
        Response.ResponseBuilder b = Response.status(409).type(Problem.MEDIA_TYPE).entity(body);
        if (e.currentVersion() != null) b.tag(new jakarta.ws.rs.core.EntityTag(e.currentVersion()));
        return b.build();
    }

    static int status(DomainException.Kind kind) {
        return switch (kind) {
            case INVALID -> 400;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case UNPROCESSABLE -> 422;
            case UNAVAILABLE -> 503;
            case QUOTA_EXCEEDED -> 429;
        };
    }

    @ServerExceptionMapper(priority = 1)
    public Response json(JsonProcessingException e, UriInfo uri) {
        String pointer = "";
        String detail;
        if (e instanceof UnrecognizedPropertyException u) {
            pointer = pointer(u);
            detail = "unknown field '" + u.getPropertyName() + "'" + (u.getKnownPropertyIds() != null ? "; known fields: " + u.getKnownPropertyIds() : "");
        } else if (e instanceof JsonParseException p) {
            detail = "malformed JSON: " + p.getOriginalMessage()
                    + (p.getLocation() != null ? " at line " + p.getLocation().getLineNr() + ", column " + p.getLocation().getColumnNr() : "");
        } else if (e instanceof JsonMappingException m) {
            pointer = pointer(m);
            detail = "wrong type" + (pointer.isEmpty() ? "" : " at " + pointer) + ": " + m.getOriginalMessage();
        } else {
            detail = "malformed JSON: " + e.getOriginalMessage();
        }
        return respond(new Problem("about:blank", "Malformed request body", 400, detail, path(uri),
                List.of(FieldError.at(pointer, detail))));
    }

    // Quarkus ships its own mappers for these two; ours must win so the caller learns where the mistake is.
    @ServerExceptionMapper(priority = 1)
    public Response mismatched(MismatchedInputException e, UriInfo uri) {
        return json(e, uri);
    }

    @ServerExceptionMapper(priority = 1)
    public Response unknownField(UnrecognizedPropertyException e, UriInfo uri) {
        return json(e, uri);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (c instanceof JsonProcessingException j) return json(j, uri);
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) LOG.error("request failed", e);
        String detail = switch (status) {
            case 404 -> "no such resource: " + path(uri);
            case 405 -> "method not allowed on " + path(uri);
            case 406 -> "this endpoint cannot produce the requested media type";
            case 415 -> "unsupported Content-Type; this endpoint takes application/json";
            case 413 -> "the request body is too large";
            case 400 -> "malformed request: " + e.getMessage();
            default -> e.getMessage();
        };
        return respond(new Problem("about:blank", Response.Status.fromStatusCode(status) != null
                ? Response.Status.fromStatusCode(status).getReasonPhrase() : "Error", status, detail, path(uri), null));
    }

    @ServerExceptionMapper(priority = 10_000)
    public Response unexpected(Throwable e, UriInfo uri) {
        // A JSON error wrapped by the framework is still the caller's mistake.
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof JsonProcessingException j) return json(j, uri);
            if (c instanceof ProblemException p) return problem(p, uri);
            if (c instanceof DomainException d) return domain(d, uri);
            if (c instanceof java.io.IOException io && fromMultipartParser(io)) {
                return respond(new Problem("about:blank", "Malformed request body", 400,
                        "malformed multipart/form-data body: " + io.getMessage(), path(uri), null));
            }
        }
        LOG.error("unexpected error", e);
        return respond(new Problem("about:blank", "Internal error", 500,
                "the server failed to handle this request; it has been logged", path(uri), null));
    }

    /**
     * The framework's multipart parser fails with a plain IOException on a body that is not the multipart it declares
     * (no boundary, truncated): the caller's mistake, found by the fuzz suite as a 500.
     */
    static boolean fromMultipartParser(java.io.IOException e) {
        StackTraceElement[] at = e.getStackTrace();
        return at.length > 0 && at[0].getClassName().startsWith("org.jboss.resteasy.reactive.server.core.multipart.");
    }

    static String pointer(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            sb.append('/').append(r.getFieldName() != null ? r.getFieldName() : String.valueOf(r.getIndex()));
        }
        return sb.toString();
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : "/" + uri.getPath().replaceFirst("^/", "");
    }

    static Response respond(Problem p) {
        return Response.status(p.status()).type(Problem.MEDIA_TYPE).entity(p).build();
    }
}
