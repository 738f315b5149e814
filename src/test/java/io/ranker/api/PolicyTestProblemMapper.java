package io.ranker.api;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Test-only stand-in for the service's problem+json mapper (api/ProblemMappers on main), so the policy branch can
 * test its HTTP contract on its own. Lowest precedence: when the real mapper is present, it wins; delete this
 * class after the merge.
 */
public class PolicyTestProblemMapper {
    @ServerExceptionMapper(priority = 9000)
    public Response problem(ProblemException e, UriInfo uri) {
        return Response.status(e.status()).type(Problem.MEDIA_TYPE).entity(e.toProblem(uri.getPath())).build();
    }
}
