package io.ranker.api;

import io.ranker.auth.Scope;
import java.lang.reflect.Method;
import org.eclipse.microprofile.openapi.models.security.SecurityRequirement;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

import java.util.ArrayList;
import java.util.List;

/**
 * What every operation has in common, said once instead of on each method: a request the service refuses gets an RFC
 * 9457 problem document ({@link Problem}, {@link ProblemMappers} maps every refusal to one), and its security is the
 * scope its method declares for {@link AccessFilter} (an explicit empty list for a public one, so a reader can tell
 * "public" from "forgotten").
 * Registered with {@code mp.openapi.filter}.
 */
public class OpenApiDefaults implements OASFilter {
    static final String PROBLEM = "Problem";

    @Override
    public Operation filterOperation(Operation operation) {
        secure(operation);
        if (operation.getSecurity() == null) operation.setSecurity(new ArrayList<>());
        APIResponses responses = operation.getResponses();
        if (responses == null) {
            responses = OASFactory.createAPIResponses();
            operation.setResponses(responses);
        }
        boolean documents4xx = responses.getAPIResponses() != null
                && responses.getAPIResponses().keySet().stream().anyMatch(code -> code.startsWith("4"));
        if (!documents4xx) {
            responses.addAPIResponse("4XX", OASFactory.createAPIResponse()
                    .description("The request was refused: a problem document saying what is wrong and where")
                    .content(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE, OASFactory.createMediaType()
                            .schema(OASFactory.createSchema().ref("#/components/schemas/" + PROBLEM)))));
        }
        return operation;
    }

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) openAPI.setComponents(OASFactory.createComponents());
        openAPI.getComponents().addSchema(PROBLEM, OASFactory.createSchema()
                .type(List.of(Schema.SchemaType.OBJECT))
                .description("RFC 9457 problem document (application/problem+json)")
                .addProperty("type", string("URI naming the kind of problem"))
                .addProperty("title", string("Short summary of the kind of problem"))
                .addProperty("status", OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER)).description("HTTP status"))
                .addProperty("detail", string("What is wrong with this request"))
                .addProperty("instance", string("The request path"))
                .addProperty("errors", OASFactory.createSchema().type(List.of(Schema.SchemaType.ARRAY))
                        .description("Every individual mistake, with where it is (a JSON pointer into the body, or a line and column)")
                        .items(OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT)))));
    }

    /**
     * The security an operation documents is the scope {@link AccessFilter} enforces on its method (operation ids are
     * {@code <Resource>_<method>}: quarkus.smallrye-openapi.operation-id-strategy=CLASS_METHOD), so the document
     * cannot drift from the check: public operations name none, {@code rank} is optional (only asked for with
     * ranking.auth.rank-requires-key=true), {@code ingest} and {@code admin} need a key, named in the description.
     */
    static void secure(Operation operation) {
        Method method = resourceMethod(operation.getOperationId());
        if (method == null) return;
        Scope needed = AccessFilter.needed(method, method.getDeclaringClass());
        List<SecurityRequirement> security = new ArrayList<>();
        if (needed != null) {
            if (needed == Scope.RANK) security.add(OASFactory.createSecurityRequirement());
            security.add(OASFactory.createSecurityRequirement().addScheme(OpenApiDocument.ADMIN_TOKEN));
            String says = "Needs an API key with the '" + needed.label() + "' scope" + (needed == Scope.ADMIN ? "" : " (or 'admin')")
                    + (needed == Scope.RANK ? " when ranking.auth.rank-requires-key=true" : "") + ".";
            String d = operation.getDescription();
            operation.setDescription(d == null || d.isBlank() ? says : d + "\n\n" + says);
        }
        operation.setSecurity(security);
    }

    private static Method resourceMethod(String operationId) {
        if (operationId == null || operationId.indexOf('_') < 1) return null;
        String type = operationId.substring(0, operationId.indexOf('_'));
        String name = operationId.substring(operationId.indexOf('_') + 1);
        try {
            for (Method m : Class.forName(OpenApiDefaults.class.getPackageName() + "." + type).getMethods()) {
                if (m.getName().equals(name)) return m;
            }
        } catch (ClassNotFoundException e) {
            return null;
        }
        return null;
    }

    private static Schema string(String description) {
        return OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)).description(description);
    }
}
