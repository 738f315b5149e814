package io.ranker.api;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Per-endpoint body size limits, checked on the declared Content-Length before the body is read. The server-wide
 * limit ({@code quarkus.http.limits.max-body-size}, 64M) has to admit bulk catalog loads; without this a single
 * 64 MB {@code /v1/rank} body would be parsed into several hundred MB of objects before validation refused it.
 * A chunked body (no Content-Length) is still bounded by the server-wide limit.
 */
public class RequestBodyLimits {
    /** A ranking request: context, filters, up to 1,000 candidate ids, a query vector. */
    static final long RANK = 1L << 20;
    /** Feedback events, policy files (the parser's own limit is 1 MiB), replay and admin requests. */
    static final long SMALL = 1L << 20;
    /** A policy file (the parser's own limit is 1 MiB) plus, for a preview, the request to preview it on. */
    static final long POLICIES = 2L << 20;
    /** Up to 5,000 feature rows, each possibly with vectors. */
    static final long FEATURES = 32L << 20;

    @ServerRequestFilter(preMatching = true)
    public Response limit(HttpServerRequest request) {
        String length = request.getHeader("Content-Length");
        if (length == null) return null;
        long declared;
        try {
            declared = Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return null; // Vert.x answers a malformed Content-Length itself
        }
        long max = limitFor(request.path());
        if (declared <= max) return null;
        return ProblemMappers.respond(new Problem("about:blank", "Content too large", 413,
                "the body of " + request.path() + " may be at most " + max + " bytes; this one declares " + declared,
                request.path(), null));
    }

    static long limitFor(String path) {
        if (path == null) return SMALL;
        if (path.startsWith("/v1/items")) return Long.MAX_VALUE; // streamed NDJSON; the server-wide limit applies
        if (path.startsWith("/v1/features")) return FEATURES;
        if (path.startsWith("/v1/models")) return Long.MAX_VALUE; // model uploads (multipart); server-wide limit
        if (path.startsWith("/v1/rank")) return RANK;
        if (path.startsWith("/v1/policies")) return POLICIES;
        return SMALL;
    }
}
