package io.ranker.api;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Test-only stand-in for the service's ProblemException mapper (which lives on main), at a lower priority so
 * the real one wins once both are on the classpath. Delete when the real mapper is merged.
 */
public class ScoringTestProblemMapper {
    @ServerExceptionMapper(priority = Priorities.USER + 100)
    public Response map(ProblemException e) {
        return Response.status(e.status()).type(Problem.MEDIA_TYPE).entity(e.toProblem(null)).build();
    }
}
