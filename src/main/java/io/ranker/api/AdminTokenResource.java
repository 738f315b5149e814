package io.ranker.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * {@code GET /v1/admin/token}: checks an admin token and changes nothing, so the console can tell a product owner
 * at sign-in that the token is wrong, instead of at the first publish with a draft in hand.
 */
@org.eclipse.microprofile.openapi.annotations.tags.Tag(name = OpenApiDocument.ADMIN)
@org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement(name = OpenApiDocument.ADMIN_TOKEN)
@Path("/v1/admin/token")
public class AdminTokenResource {
    private final AdminGuard guard;

    public AdminTokenResource(AdminGuard guard) {
        this.guard = guard;
    }

    @GET
    @Operation(summary = "Check an admin token", description = "204 when 'Authorization: Bearer <token>' is the admin token; "
            + "401 when it is not; 403 when the server has no admin token (admin operations disabled).")
    public Response check(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        guard.requireAdmin(authorization);
        return Response.noContent().build();
    }
}
