package io.ranker.api;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The policy console is static files under {@code META-INF/resources/console/}; this sends {@code /console}
 * (no trailing slash, what people type) to {@code /console/} so the page's relative links resolve.
 */
@ApplicationScoped
public class ConsoleRoutes {
    void addRedirect(@Observes Router router) {
        router.get("/console").order(-1).handler(rc -> {
            if ("/console".equals(rc.normalizedPath())) {
                rc.response().setStatusCode(302).putHeader("Location", "/console/").end();
            } else {
                rc.next();
            }
        });
    }
}
