package io.ranker.api;

import io.ranker.auth.Scope;
import io.ranker.replay.ReplayJob;
import io.ranker.replay.ReplayJobs;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replay ("dry run") jobs: {@code POST /v1/replay} starts one and answers 202 with its id; {@code GET
 * /v1/replay/{jobId}} reports status, progress and, when done, the same JSON the {@code replay} command writes.
 * Replays are CPU-heavy and their reports show served traffic, so they need the {@code admin} scope.
 */
@org.eclipse.microprofile.openapi.annotations.tags.Tag(name = OpenApiDocument.REPLAY)
@Path("/v1/replay")
@RequiresScope(Scope.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class ReplayResource {
    private final ReplayJobs jobs;
    private final CurrentCaller caller;

    public ReplayResource(ReplayJobs jobs, CurrentCaller caller) {
        this.jobs = jobs;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response submit(ReplayJobs.Submission body) {
        ReplayJob job = jobs.submit(body, caller.actor());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("jobId", job.id());
        out.put("status", "running");
        return Response.accepted(out).location(URI.create("/v1/replay/" + job.id())).build();
    }

    @GET
    @Path("/{jobId}")
    public Map<String, Object> get(@PathParam("jobId") String jobId) {
        return jobs.view(jobId).orElseThrow(() -> ProblemException.notFoundAt("/jobId", "no replay job '" + jobId + "'"));
    }

    /** Cancels a queued or running job (it ends as "cancelled"), or deletes a finished job's stored result. */
    @DELETE
    @Path("/{jobId}")
    public Response cancel(@PathParam("jobId") String jobId) {
        if (!jobs.cancel(jobId)) throw ProblemException.notFoundAt("/jobId", "no replay job '" + jobId + "'");
        return Response.noContent().build();
    }

    @GET
    public List<Map<String, Object>> list() {
        return jobs.list();
    }
}
