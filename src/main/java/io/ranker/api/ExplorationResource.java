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
 * Exploration status, the global kill switch and per-surface pauses ({@code admin} scope; the key's name is the actor
 * recorded with each change). Both switches are persisted (a restart keeps them) and, with the shared state store,
 * served by every replica within a second. Per-surface settings, including each surface's own {@code enabled} flag,
 * live in {@code ranking-config/pipelines/<surface>.yaml}; a pause overrides it until resumed.
 */
@org.eclipse.microprofile.openapi.annotations.tags.Tag(name = OpenApiDocument.EXPLORATION)
@org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement(name = OpenApiDocument.ADMIN_TOKEN)
@Path("/v1/admin/exploration")
@RequiresScope(Scope.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class ExplorationResource {
    private final ExplorationControl control;
    private final CurrentCaller caller;

    public ExplorationResource(ExplorationControl control, CurrentCaller caller) {
        this.control = control;
        this.caller = caller;
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
        String actor = caller.actor();
        if (body == null || body.engaged() == null) {
            throw ProblemException.badRequest("/engaged", "send {\"engaged\": true} or {\"engaged\": false}");
        }
        control.setKillSwitch(body.engaged(), actor);
        return control.status();
    }

    public record SurfaceSwitchRequest(Boolean enabled) {
    }

    /**
     * {@code {"enabled": false}} pauses one surface's exploration (deterministic lists, propensity 1) whatever its
     * pipeline file says; {@code {"enabled": true}} resumes it (the pipeline file's setting applies again).
     */
    @PUT
    @Path("/surfaces/{surface}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> surface(@jakarta.ws.rs.PathParam("surface") String surface, SurfaceSwitchRequest body) {
        String actor = caller.actor();
        if (surface == null || !surface.matches("[a-z0-9][a-z0-9_-]{0,63}")) {
            throw ProblemException.badRequest("/surface", "'surface' must be 1-64 lowercase letters, digits, '_' or '-'");
        }
        if (body == null || body.enabled() == null) {
            throw ProblemException.badRequest("/enabled", "send {\"enabled\": false} to pause exploration on the surface, true to resume");
        }
        control.setPaused(surface, !body.enabled(), actor);
        return control.status();
    }
}
