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
import io.ranker.catalog.ItemJson;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Catalog writes: {@code PUT /v1/items} bulk upsert (a JSON array, or NDJSON with
 * {@code Content-Type: application/x-ndjson}); both are streamed item by item and indexed in batches, so a
 * large load is never held in memory. Invalid items are rejected one by one; valid ones are kept.
 */
@Path("/v1/items")
@RequiresScope(Scope.INGEST)
public class ItemsResource {
    static final String NDJSON = "application/x-ndjson";
    private static final int BATCH = 1_000;
    private static final int MAX_REPORTED_REJECTIONS = 1_000;
    private final RankerRuntime runtime;
    private final ObjectMapper mapper;
    private final CatalogSettings catalog;

    public ItemsResource(RankerRuntime runtime, ObjectMapper mapper, CatalogSettings catalog) {
        this.runtime = runtime;
        this.mapper = mapper;
        this.catalog = catalog;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Rejected(int index, String id, String pointer, String message) {
    }

    /** 200 when every item was accepted; otherwise a 422 problem that still counts the accepted ones. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record UpsertResult(String type, String title, Integer status, String detail, int accepted,
                               int rejectedCount, List<Rejected> rejected) {
    }

    @PUT
    @BodyLimit(BodyLimit.UPLOAD)
    @Blocking
    @Consumes({MediaType.APPLICATION_JSON, NDJSON})
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    public Response upsert(InputStream body, @HeaderParam("Content-Type") String contentType) throws IOException {
        boolean ndjson = contentType != null && contentType.startsWith(NDJSON);
        int dim = runtime.vectorDimension();
        List<Item> batch = new ArrayList<>(BATCH);
        List<Rejected> rejected = new ArrayList<>();
        int accepted = 0, rejectedCount = 0, index = 0;
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
                    if (!batch.isEmpty()) {
                        runtime.index().upsert(batch);
                        accepted += batch.size();
                    }
                    throw new ProblemException(400, "Malformed items body", "malformed JSON at item " + index + ": "
                            + e.getOriginalMessage() + "; the " + accepted + " items before it were accepted", null);
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
                    runtime.index().upsert(batch);
                    accepted += batch.size();
                    batch.clear();
                }
                t = p.nextToken();
            }
        }
        if (!batch.isEmpty()) {
            runtime.index().upsert(batch);
            accepted += batch.size();
        }
        if (rejectedCount == 0) return Response.ok(new UpsertResult(null, null, null, null, accepted, 0, null)).build();
        return Response.status(422).type(Problem.MEDIA_TYPE).entity(new UpsertResult("about:blank", "Some items were rejected", 422,
                rejectedCount + " of " + index + " items were rejected (see rejected); the " + accepted + " valid items were accepted",
                accepted, rejectedCount, rejected)).build();
    }

    @DELETE
    @Path("/{id}")
    @Blocking
    public Response delete(@PathParam("id") String id) throws IOException {
        if (!runtime.index().delete(id)) throw ProblemException.notFound("no item with id '" + id + "'");
        return Response.noContent().build();
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
