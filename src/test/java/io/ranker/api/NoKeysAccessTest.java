package io.ranker.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.ranker.testing.LocalOnlyProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.Collections;
import java.util.Optional;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

/**
 * No key and no admin token configured: the README's demo works from this host with plain curl, and anonymous
 * writes from anywhere else (or relayed by a proxy) are refused.
 */
@QuarkusTest
@TestProfile(LocalOnlyProfile.class)
class NoKeysAccessTest {
    static final String ITEM = "[{\"id\":\"nokey-1\",\"title\":\"Demo lamp\"}]";

    @Test
    void theDemoWritesFromLocalhostWithoutCeremony() {
        given().baseUri("http://127.0.0.1").contentType(ContentType.JSON).body(ITEM).put("/v1/items").then().statusCode(200);
        given().baseUri("http://127.0.0.1").delete("/v1/items/nokey-1").then().statusCode(204);
        given().baseUri("http://127.0.0.1").get("/v1/admin/token").then().statusCode(204);
    }

    @Test
    void aRequestRelayedByAProxyIsNotLocal() {
        given().baseUri("http://127.0.0.1").header("X-Forwarded-For", "203.0.113.9").contentType(ContentType.JSON).body(ITEM)
                .put("/v1/items").then().statusCode(403).body("detail", containsString("No API key is configured"));
        given().baseUri("http://127.0.0.1").header("Forwarded", "for=203.0.113.9").delete("/v1/items/x").then().statusCode(403);
    }

    @Test
    void anotherHostIsRefused() throws Exception {
        Optional<InetAddress> external = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .filter(i -> { try { return i.isUp() && !i.isLoopback(); } catch (Exception e) { return false; } })
                .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()).findFirst();
        Assumptions.assumeTrue(external.isPresent(), "no non-loopback IPv4 address on this machine");
        String base = "http://" + external.get().getHostAddress();
        given().baseUri(base).port(RestAssured.port).contentType(ContentType.JSON).body(ITEM).put("/v1/items")
                .then().statusCode(403).body("detail", containsString("only from its own host"));
        given().baseUri(base).port(RestAssured.port).contentType(ContentType.JSON)
                .body("{\"surface\":\"search\",\"query\":\"lamp\",\"limit\":2}").post("/v1/rank").then().statusCode(200);
    }
}
