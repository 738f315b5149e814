package io.ranker.api;

import io.ranker.auth.Scope;
import io.ranker.explore.ExplorationControl;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.Map;

/**
 * Exploration status and the global kill switch ({@code admin} scope). Per-surface settings, including
 * each surface's own {@code enabled} flag, live in {@code ranking-config/pipelines/<surface>.yaml}.
 */
@Path("/v1/admin/exploration")
@RequiresScope(Scope.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class ExplorationResource {
    private final ExplorationControl control;

    public ExplorationResource(ExplorationControl control) {
        this.control = control;
    }

    public record KillSwitchRequest(Boolean engaged) {
    }

    @GET
    public Map<String, Object> status() {
        return control.status();
    }

    /** {@code {"engaged": true}} stops exploration on every surface at once; {@code false} resumes it. */
    @PUT
    @Path("/kill-switch")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> killSwitch(KillSwitchRequest body) {
        if (body == null || body.engaged() == null) {
            throw ProblemException.badRequest("/engaged", "send {\"engaged\": true} or {\"engaged\": false}");
        }
        if (body.engaged()) control.killSwitch().engage();
        else control.killSwitch().release();
        return control.status();
    }
}
