package io.ranker.api;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * What /q/openapi says about the API as a whole: its tags (one per resource, so client generators and API portals
 * group the operations) and the API key scheme that operations needing a scope name ({@link AccessFilter} checks it).
 * Resources refer to these by the constants below. An {@link Application} because that is where the OpenAPI scanner
 * reads {@code @OpenAPIDefinition}; it overrides nothing, so every resource is still discovered.
 */
@OpenAPIDefinition(
        info = @Info(title = "Ranker API", version = "0.1.0",
                description = "Ranking service: retrieval, scoring, business policy and exploration with logged propensities, "
                        + "plus the model, policy, exploration and replay operations around it."),
        tags = {
                @Tag(name = OpenApiDocument.RANKING, description = "Ranked lists for a surface, and the feedback on what was shown"),
                @Tag(name = OpenApiDocument.CATALOG, description = "Items that can be ranked and their attributes"),
                @Tag(name = OpenApiDocument.FEATURES, description = "Item and user feature values in the feature store"),
                @Tag(name = OpenApiDocument.MODELS, description = "Model versions and their release: upload, promote, rollback, routing"),
                @Tag(name = OpenApiDocument.POLICIES, description = "Business rule sets: validate, preview, publish, versions, rollback"),
                @Tag(name = OpenApiDocument.EXPLORATION, description = "Exploration status, kill switch and per-surface pauses"),
                @Tag(name = OpenApiDocument.IMPRESSIONS, description = "Recently served requests, read from the impression log"),
                @Tag(name = OpenApiDocument.REPLAY, description = "Off-policy evaluation of a candidate over the logged traffic"),
                @Tag(name = OpenApiDocument.SCHEMAS, description = "JSON Schemas of the configuration and payload formats"),
                @Tag(name = OpenApiDocument.ADMIN, description = "The admin token")})
@SecurityScheme(securitySchemeName = OpenApiDocument.ADMIN_TOKEN, type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "An API key as 'Authorization: Bearer <key>'. Keys have scopes: 'rank', 'ingest' (catalog, features, "
                + "feedback) and 'admin' (everything); each operation says which it needs. The legacy admin token "
                + "(ranking.admin.token) is an admin key. With no key configured, the service accepts such calls from its own "
                + "host only (403 elsewhere)")
public final class OpenApiDocument extends Application {
    public static final String RANKING = "Ranking";
    public static final String CATALOG = "Catalog";
    public static final String FEATURES = "Features";
    public static final String MODELS = "Models";
    public static final String POLICIES = "Policies";
    public static final String EXPLORATION = "Exploration";
    public static final String IMPRESSIONS = "Impressions";
    public static final String REPLAY = "Replay";
    public static final String SCHEMAS = "Schemas";
    public static final String ADMIN = "Admin";
    /** The security scheme every operation that needs a scope names (see {@link OpenApiDefaults#secure}). */
    public static final String ADMIN_TOKEN = "apiKey";
}
