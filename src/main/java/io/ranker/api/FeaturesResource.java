package io.ranker.api;

import io.ranker.core.FieldError;
import com.fasterxml.jackson.databind.JsonNode;
import io.ranker.auth.Scope;
import io.ranker.features.FeatureIngest;
import io.ranker.features.FeatureRow;
import io.ranker.features.FeatureSettings;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import org.eclipse.microprofile.openapi.annotations.Operation;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code PUT /v1/features}: bulk write of item and user features, a JSON array of
 * {@code {"entity": "item"|"user", "id": "...", "values": {"name": number}}}. Each row replaces that entity's
 * stored features. Valid rows are written even when others are rejected; then the answer is 422 listing every
 * rejected row by index (JSON pointer) and saying how many were accepted.
 */
@org.eclipse.microprofile.openapi.annotations.tags.Tag(name = OpenApiDocument.FEATURES)
@Path("/v1/features")
@RequiresScope(Scope.INGEST)
public class FeaturesResource {
    private final FeatureIngest ingest;
    private final FeatureSettings settings;

    public FeaturesResource(FeatureIngest ingest, FeatureSettings settings) {
        this.ingest = ingest;
        this.settings = settings;
    }

    public record WriteResult(int accepted, int rejected) {
    }

    @PUT
    @BodyLimit(BodyLimit.FEATURES)
    @Blocking // waits for the store's write acknowledgement
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Bulk write item and user features",
            description = "A JSON array of {entity: item|user, id, values: {feature: number}, timestamp?}. Each row replaces that"
                    + " entity's stored features. Rows with mistakes are rejected (422 listing them by index), the others are written.")
    public WriteResult put(JsonNode body) {
        if (body == null || !body.isArray()) {
            throw ProblemException.badRequest("", "the body must be a JSON array of {\"entity\",\"id\",\"values\"} rows");
        }
        if (body.size() > settings.maxBatchRows()) {
            throw new ProblemException(413, "Content too large", "batch of " + body.size() + " rows exceeds the limit of "
                    + settings.maxBatchRows() + " (ranking.features.max-batch-rows); nothing was written: split it");
        }
        List<FeatureRow> rows = new ArrayList<>(body.size());
        List<FieldError> shapeErrors = new ArrayList<>();
        for (int i = 0; i < body.size(); i++) {
            FeatureRow row = FeatureRow.fromJson(body.get(i));
            if (row == null) shapeErrors.add(FieldError.at("/" + i, "row must be an object with entity, id and values"));
            rows.add(row);
        }
        FeatureIngest.Result result;
        try {
            result = ingest.write(rows).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new ProblemException(503, "Feature store unavailable", "features were not written: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(503, "Feature store unavailable", "interrupted");
        }
        List<FieldError> errors = new ArrayList<>();
        for (FeatureIngest.Rejection r : result.rejected()) {
            if (rows.get(r.row()) != null) errors.add(FieldError.at(r.pointer(), r.message()));
        }
        errors.addAll(0, shapeErrors);
        if (!errors.isEmpty()) {
            long rejectedRows = result.rejected().stream().mapToInt(FeatureIngest.Rejection::row).distinct().count();
            throw ProblemException.unprocessable(result.accepted() + " of " + rows.size() + " rows accepted and written; "
                    + rejectedRows + " rejected (see errors: pointer /<row index>/...)", errors);
        }
        return new WriteResult(result.accepted(), 0);
    }
}
