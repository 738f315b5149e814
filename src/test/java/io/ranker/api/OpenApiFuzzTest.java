package io.ranker.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15's fuzz suite: every operation the service publishes in {@code /q/openapi}, called with malformed, hostile
 * and huge inputs (path parameters, query parameters, bodies in each declared media type), as an admin (so the calls
 * reach the code behind the access check) and anonymously. Not one response may be 500 or above, and afterwards the
 * service must still be live and rank within its budget.
 * <p>Bounded: about a thousand requests, and it stops sending at {@code ranker.fuzz.budget-s} (default 60 s) on a
 * slow machine; the report line ("fuzz: N requests, ...") gives the figures. Path parameters are always hostile
 * values, never a real surface or item, so the calls cannot change the state other tests in this JVM rely on.
 */
@QuarkusTest
class OpenApiFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = "Bearer test-admin-token";

    @TestHTTPResource("/")
    URL base;

    @TestHTTPResource(value = "/", management = true)
    URL management;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Values for path and query parameters: traversal, control characters, huge, unicode, numbers out of range. */
    static final List<String> HOSTILE_VALUES = List.of(
            "../../etc/passwd", "..%2F..%2Fetc", "a\nb", "%00", "' OR 1=1 --", "<script>alert(1)</script>",
            "x".repeat(5_000), "\u202e\u0000\ud83d\ude00", "-1", "99999999999999999999999", "NaN", "", " ",
            "${jndi:ldap://x}", "*", "00000000-0000-0000-0000-000000000000");

    /** Bodies: malformed, wrong shapes, nulls, deep nesting, huge strings and numbers. */
    static List<String> hostileBodies() {
        List<String> b = new ArrayList<>(List.of(
                "", "{", "}", "null", "[]", "{}", "[null]", "{\"a\":null}", "\"string\"", "12e999999", "-0",
                "{\"surface\":null,\"limit\":-1}", "{\"surface\":\"search\",\"limit\":1e300}", "{\"surface\":[{}]}",
                "{\"surface\":\"search\",\"filters\":[null],\"context\":{\"a\":null},\"candidateIds\":[null]}",
                "{\"surface\":\"search\",\"surface\":\"feed\"}", "{\"\u0000\":\"\u0000\"}",
                "[{\"id\":null}]", "[{\"id\":\"fz\",\"attributes\":{\"a\":{\"b\":{\"c\":[]}}}}]",
                "{\"surface\":\"search\",\"from\":\"9999-99-99\",\"to\":\"+1000000000-01-01T00:00:00Z\"}",
                "&a [*a, *a]", "a: &a [*a]", "rules: &r [*r]", "rules:\n  - {id: x, type: nonsense}\n",
                "\u00ff\u00fe\u0000binary"));
        b.add("[".repeat(10_000) + "]".repeat(10_000));
        b.add("{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000));
        b.add("{\"surface\":\"search\",\"query\":\"" + "q".repeat(200_000) + "\"}");
        b.add("[" + "1,".repeat(100_000) + "1]");
        b.add("- " + "x".repeat(100) + "\n".repeat(1) + "  ".repeat(2_000) + "y");
        return b;
    }

    @Test
    void noOperationAnswers500OrWorseAndTheServiceStillRanks() throws Exception {
        JsonNode doc = JSON.readTree(get(management, "/q/openapi?format=json").body());
        List<Call> calls = calls(doc);
        assertThat(calls).as("operations from /q/openapi").hasSizeGreaterThan(30);

        long budget = Long.getLong("ranker.fuzz.budget-s", 60) * 1_000_000_000L;
        long start = System.nanoTime();
        int sent = 0;
        Map<String, Integer> byStatus = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        List<String> accepted = new ArrayList<>(); // writes that went through: reported, so a dangerous one is seen
        for (Call c : calls) {
            if (System.nanoTime() - start > budget) break;
            HttpResponse<String> r;
            try {
                r = send(c);
            } catch (java.io.IOException e) {
                // a refused body may be answered before it is all sent, and the connection closed: that is fine
                byStatus.merge("closed", 1, Integer::sum);
                sent++;
                continue;
            }
            sent++;
            byStatus.merge(String.valueOf(r.statusCode()), 1, Integer::sum);
            if (r.statusCode() / 100 == 2 && !c.method.equals("GET")) {
                accepted.add(r.statusCode() + " " + c.method + " " + abbreviate(c.path) + " body=" + abbreviate(c.body));
            }
            if (r.statusCode() >= 500) {
                failures.add(r.statusCode() + " " + c.method + " " + abbreviate(c.path) + " body=" + abbreviate(c.body)
                        + " -> " + abbreviate(r.body()));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("fuzz: %d requests over %d operations in %.1f s, statuses %s, %d >= 500%n",
                sent, operations(calls), seconds, byStatus, failures.size());
        accepted.forEach(a -> System.out.println("fuzz: accepted " + a));
        assertThat(failures).as("responses >= 500").isEmpty();
        assertThat(sent).as("requests sent within the budget").isGreaterThan(calls.size() / 2);

        // no hostile body flipped a switch (a boolean field once took -1 as true and engaged the kill switch)
        JsonNode exploration = JSON.readTree(http.send(HttpRequest.newBuilder(base.toURI().resolve("/v1/admin/exploration"))
                .header("Authorization", ADMIN).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(exploration.path("killSwitch").asBoolean()).as("kill switch after fuzzing: " + exploration).isFalse();

        // still alive, and ranking within its budget
        assertThat(get(management, "/q/health/live").statusCode()).isEqualTo(200);
        long t = System.nanoTime();
        HttpResponse<String> rank = http.send(HttpRequest.newBuilder(base.toURI().resolve("/v1/rank"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString("{\"surface\":\"search\",\"query\":\"tea\",\"limit\":5}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(rank.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(rank.body()).path("items").size()).isPositive();
        assertThat(Duration.ofNanos(System.nanoTime() - t)).isLessThan(Duration.ofSeconds(2));
    }

    /** @param admin sent with an admin credential: the admin token, or for replays a key of its own (its own job quota) */
    record Call(String operation, String method, String path, String contentType, String body, boolean admin) {
    }

    /** JSON values put in each field the schema declares: wrong types, nulls, extremes, huge and nested values. */
    static final List<String> HOSTILE_FIELD_VALUES = List.of("null", "-1", "1e308", "-9223372036854775809", "\"true\"", "[]", "{}",
            "[null]", "{\"\":null}", "\"../../x\"", "\"" + "z".repeat(70_000) + "\"", "[" + "[".repeat(500) + "]".repeat(500) + "]");

    /**
     * Bodies shaped like the operation's JSON schema (from the document's components) with one field at a time set to
     * a hostile value, and every field null at once: these pass the JSON parser and reach the validators.
     */
    static List<String> schemaBodies(JsonNode doc, JsonNode content) {
        JsonNode schema = content.path("application/json").path("schema");
        boolean array = schema.path("type").asText().equals("array");
        if (array) schema = schema.path("items");
        String ref = schema.path("$ref").asText("");
        if (ref.startsWith("#/components/schemas/")) {
            schema = doc.path("components").path("schemas").path(ref.substring("#/components/schemas/".length()));
        }
        List<String> fields = new ArrayList<>();
        schema.path("properties").fieldNames().forEachRemaining(fields::add);
        List<String> out = new ArrayList<>();
        if (fields.isEmpty()) return out;
        StringBuilder allNull = new StringBuilder("{");
        for (String f : fields) {
            if (allNull.length() > 1) allNull.append(',');
            allNull.append('"').append(f).append("\":null");
            for (String v : HOSTILE_FIELD_VALUES) out.add("{\"" + f + "\":" + v + "}");
        }
        out.add(allNull.append('}').toString());
        return array ? out.stream().map(b -> "[" + b + "]").toList() : out;
    }

    /** Every operation, with each hostile path value, each hostile body for its media types, as admin and anonymously. */
    static List<Call> calls(JsonNode doc) {
        JsonNode paths = doc.path("paths");
        List<Call> out = new ArrayList<>();
        List<String> bodies = hostileBodies();
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            String template = p.getKey();
            if (!template.startsWith("/v1/")) continue;
            for (Iterator<Map.Entry<String, JsonNode>> ops = p.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                String method = op.getKey().toUpperCase(java.util.Locale.ROOT);
                if (!List.of("GET", "POST", "PUT", "DELETE", "PATCH").contains(method)) continue;
                List<String> queryNames = new ArrayList<>();
                for (JsonNode param : op.getValue().path("parameters")) {
                    if (param.path("in").asText().equals("query")) queryNames.add(param.path("name").asText());
                }
                List<String> types = new ArrayList<>();
                JsonNode content = op.getValue().path("requestBody").path("content");
                content.fieldNames().forEachRemaining(types::add);
                String valid = fill(template, "search"); // a real surface, so the body reaches the validators
                for (String body : schemaBodies(doc, content)) {
                    if (method.equals("GET") || method.equals("DELETE")) break;
                    if (template.contains("{") && !template.matches(".*\\{surface}[^{]*")) break;
                    // never a state change other tests would see: no model routing, no catalog item with a made-up id
                    if (template.endsWith("/promote") || template.endsWith("/routing") || template.endsWith("/rollback")
                            || template.startsWith("/v1/items")) break;
                    out.add(new Call(method + " " + template, method, valid, "application/json", body, true));
                }
                for (int i = 0; i < HOSTILE_VALUES.size(); i++) {
                    String value = HOSTILE_VALUES.get(i);
                    String path = fill(template, value) + query(queryNames, value);
                    if (types.isEmpty()) {
                        out.add(new Call(method + " " + template, method, path, null, null, i % 2 == 0));
                    } else {
                        // the bodies spread over the path values, so every body reaches every operation once
                        for (int j = i; j < bodies.size(); j += HOSTILE_VALUES.size()) {
                            String type = types.get(j % types.size());
                            out.add(new Call(method + " " + template, method, path, type, bodies.get(j), true));
                        }
                        out.add(new Call(method + " " + template, method, path, types.get(0), bodies.get(i % bodies.size()), false));
                    }
                }
            }
        }
        return out;
    }

    static String fill(String template, String value) {
        String enc = URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
        return template.replaceAll("\\{[^}]+}", java.util.regex.Matcher.quoteReplacement(enc.isEmpty() ? "%20" : enc));
    }

    static String query(List<String> names, String value) {
        if (names.isEmpty()) return "";
        StringBuilder q = new StringBuilder("?");
        for (String n : names) {
            if (q.length() > 1) q.append('&');
            q.append(n).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
        return q.toString();
    }

    HttpResponse<String> send(Call c) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(new URI(base.toURI().resolve("/").toString().replaceAll("/$", "") + c.path))
                .timeout(Duration.ofSeconds(20))
                .method(c.method, c.body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(c.body));
        if (c.contentType != null) b.header("Content-Type", c.contentType.startsWith("multipart/")
                ? "multipart/form-data; boundary=fuzz" : c.contentType);
        if (c.admin) b.header("Authorization", c.path.startsWith("/v1/replay") ? "Bearer test-policy-key" : ADMIN);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(URL at, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(at.toURI().resolve(path)).timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static long operations(List<Call> calls) {
        return calls.stream().map(Call::operation).distinct().count();
    }

    static String abbreviate(String s) {
        if (s == null) return "null";
        return s.length() <= 160 ? s : s.substring(0, 160) + "...(" + s.length() + " chars)";
    }
}
