package io.ranker.api;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The policy console is static files under {@code META-INF/resources/console/}; this sends {@code /console}
 * (no trailing slash, what people type) to {@code /console/} so the page's relative links resolve, and gives every
 * console response its security headers: a Content-Security-Policy that allows only the console's own files (no
 * inline script or style, no framing), no MIME sniffing, no referrer, and revalidation on every load (the files have
 * no version in their names, so a cached copy would outlive a release).
 */
@ApplicationScoped
public class ConsoleRoutes {
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    void addRoutes(@Observes Router router) {
        router.get("/console").order(-1).handler(rc -> {
            if ("/console".equals(rc.normalizedPath())) {
                rc.response().setStatusCode(302).putHeader("Location", "/console/").end();
            } else {
                rc.next();
            }
        });
        router.route("/console/*").order(-1).handler(rc -> {
            HttpServerResponse r = rc.response();
            // set as the headers go out, so they win over what the static file handler set (its immutable caching)
            rc.addHeadersEndHandler(v -> {
                r.putHeader("Content-Security-Policy", CSP);
                r.putHeader("X-Frame-Options", "DENY");
                r.putHeader("X-Content-Type-Options", "nosniff");
                r.putHeader("Referrer-Policy", "no-referrer");
                r.putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
            });
            rc.next();
        });
    }
}
