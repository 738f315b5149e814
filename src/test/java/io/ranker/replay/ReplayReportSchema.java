package io.ranker.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The published replay report schema ({@code schemas/replay-report.schema.json}, served at
 * {@code GET /v1/schemas/replay-report}), for tests that check real reports against it: the schema documents
 * every field of every section, so a field added, renamed or retyped in the code without the schema fails them.
 */
public final class ReplayReportSchema {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchema SCHEMA = load();

    private ReplayReportSchema() {
    }

    private static JsonSchema load() {
        try (InputStream in = ReplayReportSchema.class.getClassLoader().getResourceAsStream("schemas/replay-report.schema.json")) {
            assertThat(in).as("schemas/replay-report.schema.json on the classpath").isNotNull();
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(JSON.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Validation messages for a report given as JSON text, a JsonNode or the report's own maps. */
    public static Set<ValidationMessage> errors(Object report) {
        try {
            JsonNode node = report instanceof String s ? JSON.readTree(s)
                    : report instanceof JsonNode n ? n : JSON.valueToTree(report);
            return SCHEMA.validate(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void assertValid(Object report) {
        assertThat(errors(report)).as("the replay report against schemas/replay-report.schema.json").isEmpty();
    }
}
