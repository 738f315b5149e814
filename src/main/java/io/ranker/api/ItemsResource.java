package io.ranker.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ranker.core.Item;
import io.ranker.catalog.AttributeBudget;
import io.ranker.catalog.CatalogSettings;
import io.ranker.catalog.CatalogUnavailableException;
import io.ranker.catalog.CatalogWriter;
import io.ranker.catalog.ItemJson;
import io.ranker.catalog.changelog.ChangelogSettings;
import io.ranker.app.RankerRuntime;
import io.ranker.auth.Scope;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Catalog writes: {@code PUT /v1/items} bulk upsert (a JSON array, or NDJSON with
 * {@code Content-Type: application/x-ndjson}); both are streamed item by item and indexed in batches, so a
 * large load is never held in memory. Invalid items are rejected one by one; valid ones are kept.
 *
 * <p>Items are validated here, before they go anywhere: a rejected item never reaches the index or the shared
 * changelog. With the shared catalog ({@code ranking.state.store=redis}) a write is acknowledged once it is appended
 * to the changelog; {@code ?wait=applied} also waits (at most {@code ranking.catalog.changelog.wait-timeout}) until a
 * search on this replica sees it, and answers 202 with the changelog position when that takes longer. Redis
 * unreachable: 503 (with the items accepted before it failed), while ranking goes on from the local index.
 */
@org.eclipse.microprofile.openapi.annotations.tags.Tag(name = OpenApiDocument.CATALOG)
@Path("/v1/items")
@RequiresScope(Scope.INGEST)
public class ItemsResource {
    static final String NDJSON = "application/x-ndjson";
    private static final int BATCH = 1_000;
    private static final int MAX_REPORTED_REJECTIONS = 1_000;
    private final RankerRuntime runtime;
    private final ObjectMapper mapper;
    private final CatalogSettings catalog;
    private final Duration waitTimeout;

    public ItemsResource(RankerRuntime runtime, ObjectMapper mapper, CatalogSettings catalog, ChangelogSettings changelog) {
        this.runtime = runtime;
        this.mapper = mapper;
        this.catalog = catalog;
        this.waitTimeout = changelog.waitTimeout();
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Rejected(int index, String id, String pointer, String message) {
    }

    /**
     * 200 when every item was accepted; otherwise a 422 problem that still counts the accepted ones. {@code position}:
     * the changelog entry of the last accepted item (shared catalog only).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record UpsertResult(String type, String title, Integer status, String detail, int accepted,
                               int rejectedCount, List<Rejected> rejected, String position) {
        UpsertResult(String type, String title, Integer status, String detail, int accepted, int rejectedCount, List<Rejected> rejected) {
            this(type, title, status, detail, accepted, rejectedCount, rejected, null);
        }
    }

    /** Counts what an upsert request wrote so far, batch by batch. */
    private static final class Progress {
        int accepted;
        CatalogWriter.Ack last;
    }

    private static boolean waitApplied(String wait) {
        if (wait == null) return false;
        if (wait.equals("applied")) return true;
        throw ProblemException.badRequest("/wait", "wait must be 'applied' (or absent), not '" + wait + "'");
    }

    private void write(List<Item> batch, Progress progress) throws IOException {
        try {
            progress.last = runtime.catalogWriter().upsert(batch);
            progress.accepted += batch.size();
        } catch (CatalogUnavailableException e) {
            progress.accepted += e.appended();
            throw new Unavailable(e, progress.accepted);
        }
    }

    /** A write the changelog could not take, with what the request had written before. */
    private static final class Unavailable extends RuntimeException {
        final int accepted;

        Unavailable(CatalogUnavailableException cause, int accepted) {
            super(cause.getMessage(), cause);
            this.accepted = accepted;
        }
    }

    private static Response unavailable(Unavailable e, int rejectedCount, List<Rejected> rejected) {
        return Response.status(503).type(Problem.MEDIA_TYPE).header("Retry-After", 1).entity(new UpsertResult("about:blank",
                "Catalog changelog unavailable", 503, e.getMessage() + "; the first " + e.accepted + " valid items were accepted (upserts are"
                + " idempotent: resending them is safe; after a timeout the failed batch may still be applied)", e.accepted,
                rejectedCount, rejected.isEmpty() ? null : rejected)).build();
    }

    @PUT
    @BodyLimit(BodyLimit.UPLOAD)
    @Blocking
    @Consumes({MediaType.APPLICATION_JSON, NDJSON})
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    public Response upsert(InputStream body, @HeaderParam("Content-Type") String contentType, @QueryParam("wait") String wait)
            throws IOException, InterruptedException {
        boolean waitApplied = waitApplied(wait);
        boolean ndjson = contentType != null && contentType.startsWith(NDJSON);
        int dim = runtime.vectorDimension();
        List<Item> batch = new ArrayList<>(BATCH);
        List<Rejected> rejected = new ArrayList<>();
        Progress progress = new Progress();
        int rejectedCount = 0, index = 0;
        AttributeBudget names = new AttributeBudget(catalog.maxAttributeNames(), runtime.index().attributeTypes().keySet());
        try (JsonParser p = mapper.getFactory().createParser(body)) {
            JsonToken first = p.nextToken();
            if (first == null) throw ProblemException.badRequest("", "empty body: send a JSON array of items or NDJSON");
            if (!ndjson && first != JsonToken.START_ARRAY) {
                throw ProblemException.badRequest("", "the body must be a JSON array of items (or NDJSON with Content-Type application/x-ndjson)");
            }
            JsonToken t = ndjson ? first : p.nextToken();
            while (t != null && t != JsonToken.END_ARRAY) {
                JsonNode node;
                try {
                    node = mapper.readTree(p);
                } catch (JsonProcessingException e) {
                    // The stream cannot be resynchronised after a syntax error: keep what came before.
                    if (!batch.isEmpty()) write(batch, progress);
                    throw new ProblemException(400, "Malformed items body", "malformed JSON at item " + index + ": "
                            + e.getOriginalMessage() + "; the " + progress.accepted + " items before it were accepted", null);
                }
                try {
                    Item item = ItemJson.parse(node, dim);
                    String over = names.admit(item);
                    if (over != null) throw new ItemJson.InvalidItem("/attributes", over);
                    batch.add(item);
                } catch (ItemJson.InvalidItem e) {
                    rejectedCount++;
                    if (rejected.size() < MAX_REPORTED_REJECTIONS) {
                        JsonNode id = node == null ? null : node.get("id");
                        rejected.add(new Rejected(index, id == null ? null : id.asText(), "/" + index + e.pointer(), e.getMessage()));
                    }
                }
                index++;
                if (batch.size() >= BATCH) {
                    write(batch, progress);
                    batch.clear();
                }
                t = p.nextToken();
            }
            if (!batch.isEmpty()) write(batch, progress);
        } catch (Unavailable e) {
            return unavailable(e, rejectedCount, rejected);
        }
        int accepted = progress.accepted;
        String position = progress.last == null ? null : progress.last.position();
        if (waitApplied && progress.last != null && !runtime.catalogWriter().awaitVisible(progress.last, waitTimeout)) {
            return Response.accepted(new UpsertResult(null, null, null, "appended to the catalog changelog; not yet searchable on this replica after "
                    + waitTimeout.toMillis() + " ms", accepted, rejectedCount, rejected.isEmpty() ? null : rejected, position)).build();
        }
        if (rejectedCount == 0) return Response.ok(new UpsertResult(null, null, null, null, accepted, 0, null, position)).build();
        return Response.status(422).type(Problem.MEDIA_TYPE).entity(new UpsertResult("about:blank", "Some items were rejected", 422,
                rejectedCount + " of " + index + " items were rejected (see rejected); the " + accepted + " valid items were accepted",
                accepted, rejectedCount, rejected, position)).build();
    }

    @DELETE
    @Path("/{id}")
    @Blocking
    public Response delete(@PathParam("id") String id, @QueryParam("wait") String wait) throws IOException, InterruptedException {
        boolean waitApplied = waitApplied(wait);
        CatalogWriter writer = runtime.catalogWriter();
        CatalogWriter.Deleted d;
        try {
            d = writer.delete(id, waitTimeout);
        } catch (CatalogUnavailableException e) {
            throw new ChangelogUnavailable(e.getMessage() + "; nothing was deleted (a timed-out delete may still be applied; resending is safe)");
        }
        if (d.existed() == null) {
            return Response.accepted(new DeleteResult(id, d.position(), "appended to the catalog changelog; this replica has not applied it after "
                    + waitTimeout.toMillis() + " ms, so whether the item existed is not known yet")).build();
        }
        // the outcome at the delete's place in the changelog: the same on whichever replica received it
        if (!d.existed()) throw ProblemException.notFound("no item with id '" + id + "'");
        if (waitApplied && !writer.awaitVisible(new CatalogWriter.Ack(d.position()), waitTimeout)) {
            return Response.accepted(new DeleteResult(id, d.position(), "deleted; not yet invisible to searches on this replica after "
                    + waitTimeout.toMillis() + " ms")).build();
        }
        return Response.noContent().build();
    }

    /** 503 with Retry-After: the changelog cannot take the write now. */
    static final class ChangelogUnavailable extends ProblemException {
        ChangelogUnavailable(String detail) {
            super(503, "Catalog changelog unavailable", detail);
        }

        @Override
        public java.util.Map<String, Object> headers() { return java.util.Map.of("Retry-After", 1); }
    }

    /** 202 body of a delete whose outcome or visibility is not known yet. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DeleteResult(String id, String position, String detail) {
    }

    @GET
    @PublicEndpoint
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public JsonNode get(@PathParam("id") String id) {
        Item item = runtime.index().item(id);
        if (item == null) throw ProblemException.notFound("no item with id '" + id + "'");
        return ItemJson.toJson(mapper, item);
    }
}
