package io.ranker.api;

import io.ranker.app.RankerRuntime;
import io.ranker.auth.Scope;
import io.ranker.core.DomainException;
import io.ranker.core.LogText;
import io.ranker.core.FieldError;
import io.ranker.core.Candidate;
import io.ranker.core.RankRequest;
import io.ranker.policy.CandidateProvider;
import io.ranker.policy.CompiledPolicy;
import io.ranker.policy.PolicyActivation;
import io.ranker.policy.PolicyDiff;
import io.ranker.policy.PolicyError;
import io.ranker.policy.PolicyParser;
import io.ranker.policy.PolicyPreview;
import io.ranker.policy.PolicyRegistry;
import io.ranker.policy.PolicyRejectedException;
import io.ranker.policy.PolicyVersion;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.NoSuchElementException;

/**
 * Policy endpoints for product owners: validate and preview rule sets, read the live set and its versions,
 * publish and roll back ({@code admin} scope). Rule files travel as YAML bodies ({@code Content-Type: application/yaml}).
 * Reads and validation are public; previews (they rank like {@code /v1/rank}), publishing and rollback need {@code admin}.
 */
@org.eclipse.microprofile.openapi.annotations.tags.Tag(name = OpenApiDocument.POLICIES)
@PublicEndpoint
@BodyLimit(BodyLimit.POLICIES)
@Path("/v1/policies")
@Produces(MediaType.APPLICATION_JSON)
public class PolicyResource {
    static final String YAML = "application/yaml";

    private final PolicyRegistry registry;
    private final CurrentCaller caller;
    private final Instance<CandidateProvider> candidates;
    private final RankerRuntime runtime;
    private final AdmissionGate gate;

    public PolicyResource(PolicyRegistry registry, CurrentCaller caller, Instance<CandidateProvider> candidates,
                          RankerRuntime runtime, AdmissionGate gate) {
        this.registry = registry;
        this.caller = caller;
        this.candidates = candidates;
        this.runtime = runtime;
        this.gate = gate;
    }

    public record Validated(boolean valid, String version, int rules, String description) {
    }

    @POST
    @Path("/validate")
    @Consumes({YAML, "application/x-yaml", "text/yaml", MediaType.TEXT_PLAIN})
    public Validated validate(String body) {
        PolicyParser.Result r = registry.validate(body);
        if (!r.valid()) throw invalid("The rule set is invalid", r.errors());
        return new Validated(true, r.policy().version(), r.policy().rules().size(), r.policy().description());
    }

    /** A rank request (exactly as for /v1/rank) plus a candidate rule set as YAML text; without it, previews the live set. */
    public record PreviewRequest(RankRequestBody request, String policy) {
    }

    @POST
    @Path("/preview")
    @RequiresScope(Scope.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    public PolicyPreview.Result preview(PreviewRequest body) {
        if (body == null || body.request() == null) throw ProblemException.badRequest("/request", "'request' (a rank request) is required");
        RankRequest asked;
        try {
            asked = new RankRequestValidator(runtime.surfaces(), runtime.index()).validate(body.request());
        } catch (ProblemException e) {
            throw e.under("/request"); // the same checks as /v1/rank, pointing into the preview body
        }
        RankRequest request = new RankRequest(asked.surface(), asked.userId(), asked.query(), asked.queryVector(), asked.context(),
                asked.filters(), asked.limit(), true, asked.candidateIds());
        CompiledPolicy candidate = null;
        if (body.policy() != null) {
            try {
                candidate = registry.compile(body.policy());
            } catch (PolicyRejectedException e) {
                throw invalid("The candidate rule set is invalid", e.errors());
            }
        }
        if (!candidates.isResolvable()) {
            throw new ProblemException(503, "Service unavailable", "Previews need the ranking pipeline, which is not running");
        }
        // A preview ranks like /v1/rank, so it waits for the same admission slots: under load it is refused as they are.
        try (AdmissionGate.Permit permit = gate.enter()) {
            List<Candidate> scored;
            try {
                scored = candidates.get().scoredCandidates(request);
            } catch (ProblemException | DomainException e) {
                throw e;
            } catch (Exception e) {
                throw new ProblemException(503, "Service unavailable", "Could not rank candidates for the preview: " + e.getMessage());
            }
            return PolicyPreview.run(request, scored, registry.stage(request.surface()), candidate);
        }
    }

    public record LivePolicy(String surface, PolicyVersion version, String source, PolicyRegistry.FileStatus file) {
    }

    /** The live rule set; its {@code ETag} is the live version (send it as {@code If-Match} when publishing). */
    @GET
    @Path("/{surface}")
    public Response get(@PathParam("surface") String surface) {
        requireSurface(surface);
        PolicyRegistry.Live live = registry.live(surface)
                .orElseThrow(() -> ProblemException.notFound("Surface '" + surface + "' has no live rule set"));
        String source = registry.source(surface, live.meta().version()).orElse(null);
        return Response.ok(new LivePolicy(surface, live.meta(), source, registry.fileStatus().get(surface)))
                .tag(new EntityTag(live.meta().version())).build();
    }

    /** One surface's live rule set in the overview (without its text). */
    public record SurfaceSummary(String surface, PolicyVersion live, PolicyRegistry.FileStatus file) {
    }

    /** Every surface with a live rule set: what the console's overview lists. */
    @GET
    public List<SurfaceSummary> surfaces() {
        return registry.allLive().entrySet().stream()
                .map(e -> new SurfaceSummary(e.getKey(), e.getValue().meta(), registry.fileStatus().get(e.getKey()))).toList();
    }

    public record StoredVersion(String surface, PolicyVersion version, String source) {
    }

    /** The text of any stored version (for diffs and for restoring it into an editor). */
    @GET
    @Path("/{surface}/versions/{version}")
    public StoredVersion version(@PathParam("surface") String surface, @PathParam("version") String version) {
        requireSurface(surface);
        requireVersion(version);
        PolicyVersion meta = registry.versions(surface).stream().filter(v -> v.version().equals(version)).findFirst()
                .orElseThrow(() -> ProblemException.notFound("Surface '" + surface + "' has no version '" + version + "'"));
        return new StoredVersion(surface, meta, registry.source(surface, version).orElse(null));
    }

    public record Diff(String surface, String from, String to, List<String> changes) {
    }

    /** Rule-by-rule differences between two stored versions, one line each ("~ rule brand-variety: max: 2 -> 3"). */
    @GET
    @Path("/{surface}/diff")
    public Diff diff(@PathParam("surface") String surface, @QueryParam("from") String from, @QueryParam("to") String to) {
        requireSurface(surface);
        requireVersion(from);
        requireVersion(to);
        return new Diff(surface, from, to, PolicyDiff.diff(parsedVersion(surface, from), parsedVersion(surface, to)));
    }

    private PolicyParser.ParsedPolicy parsedVersion(String surface, String version) {
        String yaml = registry.source(surface, version)
                .orElseThrow(() -> ProblemException.notFound("Surface '" + surface + "' has no version '" + version + "'"));
        PolicyParser.Result r = registry.validate(yaml);
        if (!r.valid()) {
            throw new ProblemException(409, "Conflict", "Version " + version + " no longer validates against the current catalog",
                    fieldErrors(r.errors()));
        }
        return r.policy();
    }

    private static void requireVersion(String version) {
        if (version == null || !version.matches("[0-9a-f]{12}")) {
            throw ProblemException.badRequest("version", "'version' is a 12-digit hex content hash from /versions");
        }
    }

    public record Versions(String surface, String live, List<PolicyVersion> versions, List<PolicyActivation> history) {
    }

    @GET
    @Path("/{surface}/versions")
    public Versions versions(@PathParam("surface") String surface) {
        requireSurface(surface);
        List<PolicyVersion> versions = registry.versions(surface);
        if (versions.isEmpty()) throw ProblemException.notFound("Surface '" + surface + "' has no published rule sets");
        String live = registry.live(surface).map(l -> l.meta().version()).orElse(null);
        return new Versions(surface, live, versions, registry.history(surface));
    }

    /**
     * Publishes a rule set. With {@code If-Match: "<live version>"} (the {@code ETag} of GET) it is published only if
     * that version is still live, else 409 with the current version; without it the last writer wins. The answer's
     * {@code ETag} is the new live version, which every replica serves within a second.
     * <p>The author recorded is the caller's key name; a stated {@code author} (query or {@code X-Policy-Author}) is
     * kept in the comment only, escaped, since nothing vouches for it.
     */
    @org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement(name = OpenApiDocument.ADMIN_TOKEN)
    @PUT
    @Path("/{surface}")
    @RequiresScope(Scope.ADMIN)
    @Consumes({YAML, "application/x-yaml", "text/yaml", MediaType.TEXT_PLAIN})
    public Response publish(@PathParam("surface") String surface, String body, @HeaderParam("If-Match") String ifMatch,
                            @QueryParam("author") String author, @HeaderParam("X-Policy-Author") String authorHeader,
                            @QueryParam("comment") String comment, @HeaderParam("X-Policy-Comment") String commentHeader) {
        requireSurface(surface);
        String expected = Preconditions.expected(ifMatch);
        try {
            PolicyVersion v = registry.publish(surface, body, caller.actor(),
                    comment(firstOf(comment, commentHeader), firstOf(author, authorHeader)), expected);
            return Response.ok(v).tag(new EntityTag(v.version())).build();
        } catch (PolicyRejectedException e) {
            throw invalid("The rule set is invalid; the live rule set is unchanged", e.errors());
        }
    }

    /** Makes an earlier version live again; {@code If-Match} as for publishing. */
    @org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement(name = OpenApiDocument.ADMIN_TOKEN)
    @POST
    @Path("/{surface}/rollback")
    @RequiresScope(Scope.ADMIN)
    public Response rollback(@PathParam("surface") String surface, @HeaderParam("If-Match") String ifMatch,
                                  @QueryParam("version") String version,
                                  @QueryParam("author") String author, @HeaderParam("X-Policy-Author") String authorHeader,
                                  @QueryParam("comment") String comment, @HeaderParam("X-Policy-Comment") String commentHeader) {
        requireSurface(surface);
        if (version != null && !version.matches("[0-9a-f]{12}")) {
            throw ProblemException.badRequest("version", "'version' is a 12-digit hex content hash from /versions");
        }
        String expected = Preconditions.expected(ifMatch);
        try {
            PolicyVersion v = registry.rollback(surface, version, caller.actor(),
                    comment(firstOf(comment, commentHeader), firstOf(author, authorHeader)), expected);
            return Response.ok(v).tag(new EntityTag(v.version())).build();
        } catch (NoSuchElementException e) {
            throw ProblemException.notFound(e.getMessage());
        } catch (PolicyRejectedException e) {
            throw new ProblemException(409, "Conflict", e.getMessage() + " against the current catalog", fieldErrors(e.errors()));
        }
    }

    private static void requireSurface(String surface) {
        if (!PolicyRegistry.validSurface(surface)) {
            throw ProblemException.badRequest("surface", "'surface' must be 1-64 lowercase letters, digits, '_' or '-'");
        }
    }

    /** The stored comment: the caller's words and the author they state, control characters escaped. */
    static String comment(String comment, String statedAuthor) {
        String c = LogText.escape(comment, 500);
        if (statedAuthor == null) return c;
        String stated = "stated author: " + LogText.escape(statedAuthor, 100);
        return c == null ? stated : c + " (" + stated + ")";
    }

    private static String firstOf(String a, String b) {
        if (a != null && !a.isBlank()) return a;
        if (b != null && !b.isBlank()) return b;
        return null;
    }

    static ProblemException invalid(String detail, List<PolicyError> errors) {
        return ProblemException.unprocessable(detail + " (" + errors.size() + " error" + (errors.size() == 1 ? "" : "s") + ")",
                fieldErrors(errors));
    }

    /** Errors as problem fields: pointer into the document (rules/2/when), rule id in the message, line and column. */
    static List<FieldError> fieldErrors(List<PolicyError> errors) {
        return errors.stream().map(e -> new FieldError(pointer(e.path()),
                (e.rule() != null ? "rule '" + e.rule() + "': " : "") + e.message(), e.line(), e.column())).toList();
    }

    private static String pointer(String path) {
        if (path == null || path.isEmpty()) return "/";
        return "/" + path.replace("[", "/").replace("]", "").replace(".", "/");
    }
}
