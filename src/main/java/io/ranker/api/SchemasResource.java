package io.ranker.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/schemas/{name}}: the JSON Schemas of Ranker's documents, served from the classpath so that
 * clients (the policy console, editors, data pipelines) read the same vocabulary the service is tested against:
 * {@code policy} (a rule file; source {@code ranking-config/policies/policy.schema.json}, packaged by the build) and
 * {@code replay-report} (what {@code replay.json} and a finished replay job's {@code result} hold).
 * Kept under their own path rather than {@code /v1/policies/schema}, where a surface could be called "schema".
 */
@org.eclipse.microprofile.openapi.annotations.tags.Tag(name = OpenApiDocument.SCHEMAS)
@Path("/v1/schemas")
@PublicEndpoint
public class SchemasResource {
    static final String SCHEMA_JSON = "application/schema+json";
    /** Name in the URL -> classpath resource. */
    static final Map<String, String> RESOURCES = Map.of(
            "policy", "schemas/policy.schema.json",
            "replay-report", "schemas/replay-report.schema.json");

    private record Schema(byte[] body, EntityTag etag) {
    }

    private final Map<String, Schema> schemas = new LinkedHashMap<>();

    public SchemasResource() {
        for (String name : RESOURCES.keySet().stream().sorted().toList()) schemas.put(name, load(RESOURCES.get(name)));
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The JSON Schemas this service publishes", description = "Name and address of each.")
    public List<Map<String, String>> list() {
        return schemas.keySet().stream().map(n -> Map.of("name", n, "href", "/v1/schemas/" + n)).toList();
    }

    @GET
    @Path("/{name}")
    @Produces({SCHEMA_JSON, MediaType.APPLICATION_JSON})
    @Operation(summary = "One JSON Schema (draft 2020-12)",
            description = "policy: a rule file (ranking-config/policies/<surface>.yaml); replay-report: a replay's report.")
    public Response schema(@PathParam("name") String name, @Context Request request) {
        Schema s = schemas.get(name);
        if (s == null) throw ProblemException.notFoundAt("/name", "no schema '" + name + "'; known: " + String.join(", ", schemas.keySet()));
        CacheControl revalidate = new CacheControl();
        revalidate.setNoCache(true); // a new release may change it: clients revalidate (cheap, 304) on every load
        Response.ResponseBuilder notModified = request.evaluatePreconditions(s.etag());
        if (notModified != null) return notModified.cacheControl(revalidate).build();
        return Response.ok(s.body()).tag(s.etag()).cacheControl(revalidate).build();
    }

    private static Schema load(String resource) {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("the build did not package " + resource);
            byte[] body = in.readAllBytes();
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(body);
            return new Schema(body, new EntityTag(HexFormat.of().formatHex(hash, 0, 8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
