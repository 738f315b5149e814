package io.ranker.api;

import io.ranker.app.RankerRuntime;
import io.ranker.catalog.CatalogDigest;
import io.ranker.catalog.changelog.CatalogReplication;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * What an operator (or a test) compares across replicas: {@code GET /v1/catalog/digest}, the item count and a hash
 * over every item's id and content, with the changelog position the index is at; and {@code GET /v1/catalog/changelog},
 * how this replica follows the shared changelog (position, head, lag, skipped entries, snapshots).
 */
@org.eclipse.microprofile.openapi.annotations.tags.Tag(name = OpenApiDocument.CATALOG)
@Path("/v1/catalog")
@PublicEndpoint // reads like GET /v1/items/{id}: a count, a hash and changelog positions, nothing of a caller's
public class CatalogStatusResource {
    private final RankerRuntime runtime;
    private final CatalogReplication replication;

    public CatalogStatusResource(RankerRuntime runtime, CatalogReplication replication) {
        this.runtime = runtime;
        this.replication = replication;
    }

    /** @param position the changelog entry the index has applied up to (null in the single-node mode) */
    public record Digest(int items, String digest, String position) {
    }

    @GET
    @Path("/digest")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Item count and content hash of this replica's catalog",
            description = "SHA-256 over every item's id and content in id order: replicas at the same changelog position have the same digest.")
    public Digest digest() {
        var index = runtime.index();
        if (index == null) throw new ProblemException(503, "Catalog not open", "the catalog index is not open yet");
        // the position first: the digest then covers at least that much
        String position = replication.enabled() ? replication.status().appliedId() : null;
        CatalogDigest d = CatalogDigest.of(index.items());
        return new Digest(d.items(), d.sha256(), position);
    }

    @GET
    @Path("/changelog")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "How this replica follows the shared catalog changelog",
            description = "mode local (single node) or changelog; applied, committed, visible and head positions, lag, entries skipped and why.")
    public CatalogReplication.Status changelog() {
        return replication.status();
    }
}
