package io.ranker.api;

import io.ranker.policy.KnownAttributes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.List;

/**
 * {@code GET /v1/catalog/attributes}: the item attribute names of the catalog, sorted, so the policy console can
 * offer them while a product owner types a rule (the same names the rule validator accepts).
 */
@org.eclipse.microprofile.openapi.annotations.tags.Tag(name = OpenApiDocument.CATALOG)
@Path("/v1/catalog/attributes")
@PublicEndpoint
public class CatalogAttributesResource {
    private final KnownAttributes known;

    public CatalogAttributesResource(KnownAttributes known) {
        this.known = known;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Item attribute names in the catalog", description = "Sorted; empty until the index is open.")
    public List<String> names() {
        return known.names().stream().sorted().toList();
    }
}
