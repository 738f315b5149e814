package io.ranker.api;

import io.ranker.auth.Scope;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * {@code GET /v1/admin/token}: checks an admin token and changes nothing, so the console can tell a product owner
 * at sign-in that the token is wrong, instead of at the first publish with a draft in hand.
 */
@org.eclipse.microprofile.openapi.annotations.tags.Tag(name = OpenApiDocument.ADMIN)
@org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement(name = OpenApiDocument.ADMIN_TOKEN)
@Path("/v1/admin/token")
@RequiresScope(Scope.ADMIN)
public class AdminTokenResource {

    @GET
    @Operation(summary = "Check an admin key", description = "204 when 'Authorization: Bearer <key>' is a key with the admin scope "
            + "(or the admin token), or when no key is configured and the call comes from the server's own host; "
            + "401 when the key is missing or unknown; 403 when it lacks the admin scope, or no key is configured and the "
            + "call comes from elsewhere.")
    public Response check() {
        return Response.noContent().build(); // AccessFilter has decided
    }
}
