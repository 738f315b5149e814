package io.ranker.api;

import io.ranker.app.RankerRuntime;
import io.ranker.auth.Scope;
import io.ranker.core.RankRequest;
import io.ranker.core.RankResult;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** {@code POST /v1/rank}: the request path of every feed and search call. */
@org.eclipse.microprofile.openapi.annotations.tags.Tag(name = OpenApiDocument.RANKING)
@Path("/v1/rank")
public class RankResource {
    private final RankerRuntime runtime;
    private final AdmissionGate gate;

    public RankResource(RankerRuntime runtime, AdmissionGate gate) {
        this.runtime = runtime;
        this.gate = gate;
    }

    @POST
    @RequiresScope(Scope.RANK)
    @Blocking // Lucene, the feature store and the model block; keep them off the event loop.
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Rank candidates for a surface", description = "Retrieves, scores, applies policy and explores; logs the impression before answering. "
            + "503 with Retry-After when the service is at capacity (ranking.admission.*).")
    public RankResponseBody rank(RankRequestBody body) {
        RankRequest request = new RankRequestValidator(runtime.surfaces(), runtime.index()).validate(body);
        try (AdmissionGate.Permit permit = gate.enter()) {
            // the pipeline runs the side effects (log append, real-time counters, seen history) before it returns
            RankResult result = runtime.pipeline().rank(request);
            return RankResponseBody.of(result);
        }
    }
}
