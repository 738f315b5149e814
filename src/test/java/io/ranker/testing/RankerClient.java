package io.ranker.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A small HTTP client for one service replica, for multi-JVM tests: plain {@code java.net.http}, JSON through
 * Jackson. Every call returns a {@link Response} (status, body, headers); {@link Response#expect} turns an
 * unexpected status into an AssertionError that names the replica, the call and the body. Write calls carry the
 * admin token (which may do everything), so they keep working when catalog writes start to need a key.
 */
public final class RankerClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final URI base;
    private final URI management;
    private final String adminToken;
    private volatile Duration timeout = Duration.ofSeconds(15);

    /**
     * @param base       the serving port's address
     * @param management the management interface's (health, metrics, OpenAPI)
     */
    public RankerClient(String name, URI base, URI management, String adminToken) {
        this.name = name;
        this.base = base;
        this.management = management;
        this.adminToken = adminToken;
    }

    /** Per-request timeout (default 15 s); a timed-out call throws {@link UncheckedIOException}. */
    public RankerClient timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    public URI base() {
        return base;
    }

    /** What one call answered. */
    public record Response(String replica, String call, int status, String body, HttpHeaders headers) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (JsonProcessingException e) {
                throw new AssertionError(replica + ": " + call + " answered " + status + " with a body that is not JSON: " + body, e);
            }
        }

        public Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        /** This response, or an AssertionError naming the replica, the call, the status and the body. */
        public Response expect(int expected) {
            if (status != expected) {
                throw new AssertionError(replica + ": " + call + " answered " + status + " (expected " + expected + "): " + body);
            }
            return this;
        }
    }

    // ---- ranking ----

    /** {@code POST /v1/rank}; expects 200 and returns the response body. */
    public JsonNode rank(String surface, String userId, String query, int limit) {
        ObjectNode body = JSON.createObjectNode().put("surface", surface).put("userId", userId).put("limit", limit);
        if (query != null) body.put("query", query);
        return rank(body.toString()).expect(200).json();
    }

    /** {@code POST /v1/rank} with any body (to test errors too). */
    public Response rank(String jsonBody) {
        return send("POST", "/v1/rank", jsonBody, "application/json", false);
    }

    /** The ids of the items a rank response lists, in order. */
    public static List<String> itemIds(JsonNode rankResponse) {
        return rankResponse.path("items").findValuesAsText("id");
    }

    // ---- catalog ----

    /** {@code PUT /v1/items} with a JSON array of items. */
    public Response putItems(String jsonArray) {
        return send("PUT", "/v1/items", jsonArray, "application/json", true);
    }

    public Response deleteItem(String id) {
        return send("DELETE", "/v1/items/" + encode(id), null, null, true);
    }

    public Response getItem(String id) {
        return get("/v1/items/" + encode(id));
    }

    // ---- policies (admin) ----

    /** {@code PUT /v1/policies/{surface}} with a YAML rule set, as the admin. */
    public Response publishPolicy(String surface, String yaml) {
        return send("PUT", "/v1/policies/" + encode(surface), yaml, "application/yaml", true);
    }

    public Response rollbackPolicy(String surface) {
        return send("POST", "/v1/policies/" + encode(surface) + "/rollback", null, null, true);
    }

    /** {@code GET /v1/policies/{surface}}: the live rule set, its version and its text. */
    public Response livePolicy(String surface) {
        return get("/v1/policies/" + encode(surface));
    }

    // ---- models and switches (admin) ----

    public Response models() {
        return send("GET", "/v1/models", null, null, true);
    }

    public Response promoteModel(String surface, String version) {
        return send("POST", "/v1/models/" + encode(surface) + "/promote", "{\"version\":\"" + version + "\"}", "application/json", true);
    }

    public Response rollbackModel(String surface) {
        return send("POST", "/v1/models/" + encode(surface) + "/rollback", null, null, true);
    }

    public Response killSwitch(boolean engaged) {
        return send("PUT", "/v1/admin/exploration/kill-switch", "{\"engaged\":" + engaged + "}", "application/json", true);
    }

    // ---- operations ----

    /** True when {@code /q/health/ready} answers 200; false when it answers otherwise or nothing listens yet. */
    public boolean ready() {
        try {
            return send(management, "GET", "/q/health/ready", null, null, false, Duration.ofSeconds(2)).status() == 200;
        } catch (UncheckedIOException notListening) {
            return false;
        }
    }

    public Response health() {
        return send(management, "GET", "/q/health/ready", null, null, false, timeout);
    }

    public Response metrics() {
        return send(management, "GET", "/q/metrics", null, null, false, timeout);
    }

    // ---- generic ----

    public Response get(String path) {
        return send("GET", path, null, null, false);
    }

    /** A GET with the admin token (replay jobs, models, switches: reads that need the admin scope). */
    public Response adminGet(String path) {
        return send("GET", path, null, null, true);
    }

    public Response post(String path, String json, boolean admin) {
        return send("POST", path, json, "application/json", admin);
    }

    public Response put(String path, String body, String contentType, boolean admin) {
        return send("PUT", path, body, contentType, admin);
    }

    public Response send(String method, String path, String body, String contentType, boolean admin) {
        return send(base, method, path, body, contentType, admin, timeout);
    }

    /** A request with extra headers (e.g. {@code If-Match}). */
    public Response send(String method, String path, String body, String contentType, boolean admin, Map<String, String> headers) {
        return send(base, method, path, body, contentType, admin, timeout, headers);
    }

    private Response send(URI at, String method, String path, String body, String contentType, boolean admin, Duration timeout) {
        return send(at, method, path, body, contentType, admin, timeout, Map.of());
    }

    private Response send(URI at, String method, String path, String body, String contentType, boolean admin, Duration timeout,
                          Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(at.resolve(path)).timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        if (contentType != null) b.header("Content-Type", contentType);
        if (admin && adminToken != null) b.header("Authorization", "Bearer " + adminToken);
        String call = method + " " + path;
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(name, call, r.statusCode(), r.body(), r.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": " + call + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(name + ": " + call + " interrupted", e);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public String toString() {
        return name + " " + base;
    }
}
