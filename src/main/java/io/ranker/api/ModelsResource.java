package io.ranker.api;

import io.ranker.core.FieldError;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ranker.auth.Scope;
import io.ranker.policy.PolicyRegistry;
import io.ranker.scoring.ModelRegistry;
import io.ranker.scoring.ModelRejectedException;
import io.ranker.scoring.ModelRelease;
import io.ranker.scoring.ModelsConfig;
import io.ranker.scoring.ScoringService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Model release over HTTP, all with the {@code admin} scope (a key, or the admin token):
 * <pre>
 * curl -H "Authorization: Bearer $T" localhost:8080/v1/models
 * curl -H "Authorization: Bearer $T" -F model=@model.ubj -F manifest=@manifest.json localhost:8080/v1/models
 * curl -H "Authorization: Bearer $T" -H 'Content-Type: application/json' -d '{"version":"3f9a0c1d2e4b5a69"}' \
 *      localhost:8080/v1/models/feed/promote
 * curl -H "Authorization: Bearer $T" -X POST localhost:8080/v1/models/feed/rollback
 * curl -H "Authorization: Bearer $T" -H 'If-Match: "3f9a0c1d2e4b5a69"' -X PUT -H 'Content-Type: application/json' \
 *      -d '{"active":"3f9a0c1d2e4b5a69","canary":{"version":"5d2b7e9f0a1c3e48","percent":10}}' localhost:8080/v1/models/feed/routing
 * </pre>
 * Uploading also accepts JSON: {@code {"model": "<base64 of model.ubj/json>", "manifest": {...}}}. Promote, rollback
 * and routing take {@code If-Match: "<active version>"} (the surface's {@code ETag}): with it, a change made against a
 * version that is no longer active is refused with 409 and the current version; without it, the last writer wins.
 */
@org.eclipse.microprofile.openapi.annotations.tags.Tag(name = OpenApiDocument.MODELS)
@org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement(name = OpenApiDocument.ADMIN_TOKEN)
@Path("/v1/models")
@RequiresScope(Scope.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class ModelsResource {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ScoringService scoring;
    private final CurrentCaller caller;

    public ModelsResource(ScoringService scoring, CurrentCaller caller) {
        this.scoring = scoring;
        this.caller = caller;
    }

    public record PromoteRequest(String version) {
    }

    @GET
    public Map<String, Object> list() {
        ModelRelease r = release();
        ModelsConfig cfg = r.router().config();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("surfaces", cfg.surfaces());
        out.put("versions", r.registry().list().stream().map(m -> {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("version", m.version());
            v.put("file", m.file());
            v.put("manifest", m.manifest());
            return v;
        }).toList());
        out.put("routing", r.store().describe());
        out.put("routingSeed", scoring.seedFile().toString());
        out.put("revisions", r.revisions());
        if (r.lastRefusal() != null) out.put("lastRefusedEdit", r.lastRefusal());
        out.put("shadow", scoring.shadowStats());
        out.put("audit", r.audit().tail(20));
        return out;
    }

    @POST
    @BodyLimit(BodyLimit.UPLOAD)
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response uploadMultipart(@RestForm("model") FileUpload model, @RestForm("manifest") FileUpload manifest) {
        String actor = caller.actor();
        if (model == null) throw ProblemException.badRequest("/model", "the form needs a 'model' file part: -F model=@model.ubj");
        if (manifest == null) throw ProblemException.badRequest("/manifest", "the form needs a 'manifest' file part: -F manifest=@manifest.json");
        try {
            return uploaded(actor, Files.readAllBytes(model.uploadedFile()), Files.readAllBytes(manifest.uploadedFile()));
        } catch (IOException e) {
            throw ProblemException.badRequest("cannot read the uploaded parts: " + e.getMessage());
        }
    }

    @POST
    @BodyLimit(BodyLimit.UPLOAD)
    @Consumes(MediaType.APPLICATION_JSON)
    public Response uploadJson(JsonNode body) {
        String actor = caller.actor();
        if (body == null || !body.path("model").isTextual()) {
            throw ProblemException.badRequest("/model", "'model' must be the model file as a base64 string");
        }
        if (!body.path("manifest").isObject()) {
            throw ProblemException.badRequest("/manifest", "'manifest' must be the manifest object ({\"features\": [...], ...})");
        }
        byte[] model;
        try {
            model = Base64.getMimeDecoder().decode(body.get("model").asText());
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("/model", "'model' is not valid base64: " + e.getMessage());
        }
        try {
            return uploaded(actor, model, JSON.writeValueAsBytes(body.get("manifest")));
        } catch (IOException e) {
            throw ProblemException.badRequest("/manifest", e.getMessage());
        }
    }

    private Response uploaded(String actor, byte[] model, byte[] manifest) {
        ModelRegistry.RegisteredModel r = rejectedAs422(() -> release().upload(actor, model, manifest));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("version", r.version());
        out.put("file", r.file());
        out.put("manifest", r.manifest());
        out.put("active", false);
        return Response.status(201).entity(out).build();
    }

    @POST
    @Path("{surface}/promote")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response promote(@HeaderParam("If-Match") String ifMatch, @PathParam("surface") String surface, PromoteRequest body) {
        String actor = caller.actor();
        requireSurface(surface);
        if (body == null || body.version() == null || body.version().isBlank()) {
            throw ProblemException.badRequest("/version", "'version' is required: {\"version\": \"<model version>\"}");
        }
        String expected = Preconditions.expected(ifMatch);
        ModelRelease r = release();
        String previous = activeVersion(r, surface);
        rejectedAs422(() -> {
            r.promote(actor, surface, body.version(), expected);
            return null;
        });
        return result(surface, body.version(), previous);
    }

    @POST
    @Path("{surface}/rollback")
    public Response rollback(@HeaderParam("If-Match") String ifMatch, @PathParam("surface") String surface) {
        String actor = caller.actor();
        requireSurface(surface);
        String expected = Preconditions.expected(ifMatch);
        ModelRelease r = release();
        String previous = activeVersion(r, surface);
        String now;
        try {
            now = rejectedAs422(() -> r.rollback(actor, surface, expected));
        } catch (IllegalStateException e) {
            throw new ProblemException(409, "Conflict", e.getMessage());
        }
        return result(surface, now, previous);
    }

    /**
     * Replaces a surface's whole routing: {@code {"active": v, "shadow": [..], "canary": {"version": v, "percent": p},
     * "experiments": [...], "salt": s}} (the {@code models.yaml} format of one surface, as JSON). Every model it names
     * must be uploaded and load; the surface's previous active version goes on its rollback stack when it changes.
     */
    @jakarta.ws.rs.PUT
    @Path("{surface}/routing")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response routing(@HeaderParam("If-Match") String ifMatch, @PathParam("surface") String surface,
                            ModelsConfig.SurfaceModels body) {
        String actor = caller.actor();
        requireSurface(surface);
        if (body == null) {
            throw ProblemException.badRequest("/", "the body is the surface's routing: {\"active\": \"<version>\", \"shadow\": [...], ...}");
        }
        String expected = Preconditions.expected(ifMatch);
        ModelRelease r = release();
        String previous = activeVersion(r, surface);
        rejectedAs422(() -> {
            r.setRouting(actor, surface, body, expected);
            return null;
        });
        Response.ResponseBuilder b = Response.ok(Map.of("surface", surface, "routing", r.router().config().surfaces().get(surface),
                "previous", previous == null ? "" : previous));
        return b.tag(new jakarta.ws.rs.core.EntityTag(body.active())).build();
    }

    /** One surface's routing; its {@code ETag} is the active version (send it as {@code If-Match} with a change). */
    @GET
    @Path("{surface}/routing")
    public Response getRouting(@PathParam("surface") String surface) {
        requireSurface(surface);
        ModelsConfig.SurfaceModels s = release().router().config().surfaces().get(surface);
        if (s == null) throw ProblemException.notFoundAt("/surface", "surface '" + surface + "' has no model routing");
        return Response.ok(s).tag(new jakarta.ws.rs.core.EntityTag(s.active())).build();
    }

    /** Surface names end up in models.yaml keys, file names and logs: the same rule as everywhere else. */
    private static void requireSurface(String surface) {
        if (!PolicyRegistry.validSurface(surface)) {
            throw ProblemException.badRequest("/surface", "'surface' must be 1-64 lowercase letters, digits, '_' or '-'");
        }
    }

    private static String activeVersion(ModelRelease r, String surface) {
        ModelsConfig.SurfaceModels s = r.router().config().surfaces().get(surface);
        return s == null ? null : s.active();
    }

    private static Response result(String surface, String active, String previous) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("surface", surface);
        out.put("active", active);
        out.put("previous", previous);
        return Response.ok(out).tag(new jakarta.ws.rs.core.EntityTag(active)).build();
    }

    private ModelRelease release() {
        if (!scoring.started()) {
            throw new ProblemException(503, "Service unavailable", "models are still loading; retry in a moment");
        }
        return scoring.release();
    }

    private static <T> T rejectedAs422(java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (ModelRejectedException e) {
            List<FieldError> errors = e.problems().stream().map(p -> FieldError.at(null, p)).toList();
            throw ProblemException.unprocessable("the model was refused and nothing changed: " + e.getMessage(), errors);
        }
    }
}
