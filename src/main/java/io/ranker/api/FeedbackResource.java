package io.ranker.api;

import io.ranker.auth.Scope;
import io.ranker.logging.FeedbackService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code POST /v1/feedback}: 202 once the event is durable in the log (contract: ARCHITECTURE.md). The body
 * is parsed here rather than by the framework so a malformed body is a problem document naming the field.
 */
@org.eclipse.microprofile.openapi.annotations.tags.Tag(name = OpenApiDocument.RANKING)
@Path("/v1/feedback")
@RequiresScope(Scope.INGEST)
public class FeedbackResource {
    private final FeedbackService feedback;

    public FeedbackResource(FeedbackService feedback) {
        this.feedback = feedback;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response submit(byte[] body) {
        return Response.accepted(feedback.submit(body)).build();
    }
}
