package io.ranker.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped rule files are valid for the demo catalog, and the published JSON Schema agrees with the parser. */
class PolicyConfigFilesTest {
    static final Path DIR = Path.of("ranking-config", "policies");
    /** The demo catalog's item attributes (catalog/DemoCatalog). */
    static final Set<String> DEMO_ATTRIBUTES = Set.of("category", "brand", "color", "price", "rating", "popularity",
            "in_stock", "sponsored", "age_restricted", "created_at", "tags");
    static JsonSchema schema;

    @BeforeAll
    static void loadSchema() throws Exception {
        JsonNode node = new ObjectMapper().readTree(DIR.resolve("policy.schema.json").toFile());
        schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(node);
    }

    static Set<ValidationMessage> schemaErrors(String yaml) throws Exception {
        return schema.validate(new YAMLMapper().readTree(yaml));
    }

    @ParameterizedTest
    @ValueSource(strings = {"search.yaml", "feed.yaml"})
    void shippedFilesAreValid(String name) throws Exception {
        String yaml = Files.readString(DIR.resolve(name));
        PolicyParser.Result r = new PolicyParser(new ValidationLimits(DEMO_ATTRIBUTES, 100), SeenItems.NONE).parse(yaml);
        assertThat(r.errors()).isEmpty();
        assertThat(r.policy().canonical()).containsEntry("surface", name.replace(".yaml", ""));
        assertThat(schemaErrors(yaml)).isEmpty();
    }

    @Test
    void schemaAcceptsEveryRuleType() throws Exception {
        assertThat(schemaErrors("""
                rules:
                  - {id: a, type: filter, when: {attribute: in_stock, eq: false}}
                  - {id: b, type: boost, when: {attribute: brand, in: [x, y]}, multiply: 1.5, add: 0.1}
                  - {id: c, type: bury, when: {attribute: rating, range: {max: 3}}, multiply: 0.5}
                  - {id: d, type: pin, when: {attribute: sponsored, exists: true}, position: 1}
                  - {id: d2, type: pin, item: p000001, position: 2}
                  - {id: e, type: slot, when: {attribute: sponsored, eq: true}, positions: [3, 8], backfill: {segment: [vip]}}
                  - {id: f, type: cap, attribute: brand, max: 2, topK: 10}
                  - {id: g, type: diversify, attribute: category, strength: 0.4, window: 30}
                  - {id: h, type: diversify, method: mmr, strength: 0.2}
                  - {id: i, type: freshness, halfLife: 7d, floor: 0.3, when: {not: {attribute: category, prefix: ever}}}
                  - {id: j, type: exclude_seen, window: PT24H, events: [shown], active: {from: '2026-01-01T00:00:00Z'}}
                """)).isEmpty();
    }

    /**
     * The policy console builds its forms from the schema's annotations (GET /v1/schemas/policy): every rule type
     * has a plain name and description, and the rule it offers to start from, and the condition examples it offers
     * for optional conditions, are valid for both the schema and the parser.
     */
    @Test
    void everyRuleTypeCarriesTheConsoleAnnotationsAndItsExamplesAreValid() throws Exception {
        JsonNode rule = new ObjectMapper().readTree(DIR.resolve("policy.schema.json").toFile()).at("/$defs/rule");
        Set<String> types = new java.util.LinkedHashSet<>();
        rule.at("/properties/type/enum").forEach(t -> types.add(t.asText()));
        assertThat(types).containsExactlyInAnyOrderElementsOf(RuleTypes.names());
        Set<String> annotated = new java.util.HashSet<>();
        PolicyParser parser = new PolicyParser(new ValidationLimits(DEMO_ATTRIBUTES, 100), SeenItems.NONE);
        YAMLMapper yaml = new YAMLMapper();
        for (JsonNode entry : rule.get("allOf")) {
            String type = entry.at("/if/properties/type/const").asText();
            JsonNode then = entry.get("then");
            annotated.add(type);
            assertThat(then.path("title").asText()).as(type + " title").isNotBlank();
            assertThat(then.path("description").asText()).as(type + " description").isNotBlank();
            assertThat(then.path("examples")).as(type + " examples").isNotEmpty();
            for (JsonNode example : then.get("examples")) {
                assertThat(example.path("type").asText()).isEqualTo(type);
                String file = yaml.writeValueAsString(java.util.Map.of("rules", java.util.List.of(example)));
                assertThat(schemaErrors(file)).as(type + " example " + example).isEmpty();
                assertThat(parser.parse(file).errors()).as(type + " example " + example).isEmpty();
            }
            for (var field : then.get("properties").properties()) {
                if (!field.getValue().isObject()) continue; // the common keys (id, type, ...) are booleans here
                assertThat(field.getValue().path("title").asText()).as(type + "." + field.getKey() + " title").isNotBlank();
                if (!"#/$defs/condition".equals(field.getValue().path("$ref").asText())) continue;
                for (JsonNode condition : field.getValue().path("examples")) {
                    String file = yaml.writeValueAsString(java.util.Map.of("rules",
                            java.util.List.of(java.util.Map.of("id", "x", "type", "filter", "when", condition))));
                    assertThat(schemaErrors(file)).as(type + "." + field.getKey() + " example").isEmpty();
                    assertThat(parser.parse(file).errors()).as(type + "." + field.getKey() + " example").isEmpty();
                }
            }
        }
        assertThat(annotated).containsExactlyInAnyOrderElementsOf(types);
    }

    /** The schema is the published vocabulary (the console builds its forms from it): it must name what the parser reads. */
    @Test
    void schemaDescribesEveryRegisteredRuleTypeAndItsKeys() throws Exception {
        JsonNode root = new ObjectMapper().readTree(DIR.resolve("policy.schema.json").toFile());
        JsonNode rule = root.path("$defs").path("rule");
        Set<String> names = new TreeSet<>();
        rule.path("properties").path("type").path("enum").forEach(n -> names.add(n.asText()));
        assertThat(names).isEqualTo(RuleTypes.names());
        Map<String, Set<String>> schemaKeys = new TreeMap<>();
        for (JsonNode branch : rule.path("allOf")) {
            String type = branch.path("if").path("properties").path("type").path("const").asText();
            Set<String> keys = new TreeSet<>();
            branch.path("then").path("properties").fieldNames().forEachRemaining(keys::add);
            keys.removeAll(RuleFields.COMMON_KEYS);
            schemaKeys.put(type, keys);
        }
        Map<String, Set<String>> parserKeys = new TreeMap<>();
        for (RuleType<?> t : RuleTypes.ALL) parserKeys.put(t.name(), new TreeSet<>(t.keys()));
        assertThat(schemaKeys).isEqualTo(parserKeys);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "rules:\n  - {id: a, type: shuffle}\n",
            "rules:\n  - {id: a, type: filter}\n",
            "rules:\n  - {id: a, type: boost, when: {attribute: x, eq: 1}, multiply: 0.5}\n",
            "rules:\n  - {id: a, type: pin, item: x, when: {attribute: x, eq: 1}, position: 1}\n",
            "rules:\n  - {id: a, type: cap, attribute: brand, max: 2}\n",
            "rules:\n  - {id: a, type: filter, when: {attribute: x, eq: 1, in: [1]}}\n",
            "rules:\n  - {id: a, type: filter, when: {attribute: x, context: y, eq: 1}}\n",
            "rules:\n  - {id: a, type: diversify, method: mmr, attribute: category}\n",
            "rules:\n  - {id: a, type: diversify, attribute: category, window: 1}\n",
            "rules:\n  - {id: a, type: cap, attribute: brand, max: -1, topK: 10}\n",
            "rules:\n  - {id: a, type: slot, when: {segment: vip}, positions: [0]}\n",
            "rules: []\ncolour: red\n"})
    void schemaAndParserBothRejectStructuralMistakes(String yaml) throws Exception {
        assertThat(schemaErrors(yaml)).as("schema").isNotEmpty();
        assertThat(new PolicyParser(ValidationLimits.DEFAULT, SeenItems.NONE).parse(yaml).valid()).as("parser").isFalse();
    }
}
