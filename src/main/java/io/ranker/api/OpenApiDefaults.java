package io.ranker.api;

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
 * 9457 problem document ({@link Problem}, {@link ProblemMappers} maps every refusal to one), and an operation that
 * names no security requirement needs none (an explicit empty list, so a reader can tell "public" from "forgotten").
 * Registered with {@code mp.openapi.filter}.
 */
public class OpenApiDefaults implements OASFilter {
    static final String PROBLEM = "Problem";

    @Override
    public Operation filterOperation(Operation operation) {
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

    private static Schema string(String description) {
        return OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)).description(description);
    }
}
