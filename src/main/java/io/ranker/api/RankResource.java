package io.ranker.api;

import io.ranker.app.RankerRuntime;
import io.ranker.auth.Scope;
import io.ranker.features.FeedbackCounters;
import io.ranker.core.Candidate;
import io.ranker.policy.SeenItems;
import org.jboss.logging.Logger;

import java.util.List;
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
@Path("/v1/rank")
public class RankResource {
    private static final Logger LOG = Logger.getLogger(RankResource.class);
    private final RankerRuntime runtime;
    private final FeedbackCounters counters;
    private final SeenItems seen;
    private final AdmissionGate gate;

    public RankResource(RankerRuntime runtime, FeedbackCounters counters, SeenItems seen, AdmissionGate gate) {
        this.runtime = runtime;
        this.counters = counters;
        this.seen = seen;
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
            RankResult result = runtime.pipeline().rank(request);
            afterServe(result);
            return RankResponseBody.of(result);
        }
    }

    /** Side effects of a served list (real-time impression counters, the user's seen history); never fail the request. */
    private void afterServe(RankResult result) {
        try {
            List<String> shown = result.exploration().shown().stream().map(Candidate::id).toList();
            counters.onImpression(shown);
            String user = result.context().request().userId();
            if (user != null) {
                long now = System.currentTimeMillis();
                seen.recordAll(user, shown, "shown", now);
            }
        } catch (RuntimeException e) {
            LOG.debugf(e, "after-serve side effects failed for %s", result.context().impressionId());
        }
    }
}
