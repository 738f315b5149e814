package io.ranker.api;

import io.ranker.testing.TestKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.ranker.features.FeatureCodec;
import io.ranker.features.FeatureStore;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

/** HTTP contract of PUT /v1/features on the default (in-memory) store. */
@QuarkusTest
class FeaturesResourceTest {
    /** Health, metrics and the OpenAPI document are on the management interface, not the serving port. */
    @io.quarkus.test.common.http.TestHTTPResource(value = "/", management = true)
    java.net.URL managementUrl;

    io.restassured.specification.RequestSpecification management() {
        return given().baseUri("http://" + managementUrl.getHost()).port(managementUrl.getPort());
    }


    @Inject
    FeatureStore store;

    /** A user vector of the catalog's dimension (64 in the test profile). */
    static String vector(int dims) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < dims; i++) b.append(i == 0 ? "" : ",").append(0.01 * (i + 1));
        return b.append(']').toString();
    }

    @Test
    void writesValidRows() throws Exception {
        assertThat(store.kind()).isEqualTo("memory");
        given().header(TestKeys.ADMIN).contentType("application/json")
                .body("[{\"entity\":\"item\",\"id\":\"fx-1\",\"values\":{\"popularity\":4.5,\"stock\":3}},"
                        + "{\"entity\":\"user\",\"id\":\"fx-u\",\"values\":{\"mean_price\":12.5,\"user_vector\":" + vector(64) + "}}]")
                .when().put("/v1/features")
                .then().statusCode(200).body("accepted", equalTo(2)).body("rejected", equalTo(0));
        byte[] v = store.get(List.of(store.keys().item("fx-1"))).get(5, TimeUnit.SECONDS)[0];
        assertThat(FeatureCodec.decode(v).get("popularity")).isEqualTo(4.5f);
    }

    @Test
    void rejectsBadRowsByIndexAndKeepsTheGoodOnes() throws Exception {
        given().header(TestKeys.ADMIN).contentType("application/json")
                .body("[{\"entity\":\"item\",\"id\":\"fx-2\",\"values\":{\"popularity\":1}},"
                        + "{\"entity\":\"item\",\"id\":\"fx-3\",\"values\":{\"nope\":1}},"
                        + "{\"entity\":\"item\",\"id\":\"fx-4\",\"values\":{\"stock\":\"many\"}},"
                        + "{\"entity\":\"item\",\"id\":\"fx-5\",\"values\":{\"popularity\":\"NaN\"}},"
                        + "42,"
                        + "{\"entity\":\"user\",\"id\":\"fx-u2\",\"values\":{\"user_vector\":[0.1,0.2]}}]")
                .when().put("/v1/features")
                .then().statusCode(422).contentType(containsString("application/problem+json"))
                .body("detail", containsString("1 of 6 rows accepted"))
                .body("errors.pointer", hasItems("/1/values/nope", "/2/values/stock", "/3/values/popularity", "/4", "/5/values/user_vector"))
                .body("errors.find { it.pointer == '/5/values/user_vector' }.message", containsString("the catalog's vectors have 64"));
        assertThat(store.get(List.of(store.keys().item("fx-2"))).get(5, TimeUnit.SECONDS)[0]).isNotNull();
        assertThat(store.get(List.of(store.keys().item("fx-3"))).get(5, TimeUnit.SECONDS)[0]).isNull();
    }

    @Test
    void refusesOversizedBatchesAndNonArrays() {
        StringBuilder big = new StringBuilder("[");
        for (int i = 0; i <= 5000; i++) big.append(i == 0 ? "" : ",").append("{\"entity\":\"item\",\"id\":\"b").append(i).append("\",\"values\":{}}");
        given().header(TestKeys.ADMIN).contentType("application/json").body(big.append("]").toString())
                .when().put("/v1/features")
                .then().statusCode(413).body("detail", containsString("nothing was written"));
        given().header(TestKeys.ADMIN).contentType("application/json").body("{\"entity\":\"item\"}")
                .when().put("/v1/features")
                .then().statusCode(400);
        given().header(TestKeys.ADMIN).contentType("application/json").body("[{\"entity\":")
                .when().put("/v1/features")
                .then().statusCode(400);
    }

    @Test
    void readinessReportsTheStore() {
        management().when().get("/q/health/ready")
                .then().statusCode(200).body("checks.find { it.name == 'features' }.data.store", equalTo("memory"));
    }
}
