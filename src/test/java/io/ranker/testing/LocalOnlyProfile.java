package io.ranker.testing;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * The service as the README's demo runs it: no API key and no admin token (so writes come from this host only), plus a
 * low cap on catalog attribute names so the cap can be reached cheaply, and a short grace for slow bodies. Reachable on every address, so a test can
 * also call it from a non-loopback one. Test classes with this profile share one service start.
 */
public class LocalOnlyProfile implements QuarkusTestProfile {
    public static final int MAX_ATTRIBUTE_NAMES = 60;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("ranking.admin.token", "", "ranking.auth.keys", "",
                "quarkus.http.host", "0.0.0.0",
                "ranking.catalog.max-attribute-names", String.valueOf(MAX_ATTRIBUTE_NAMES),
                "ranking.http.body-grace", "3s"); // slow-client tests need not wait the production 10 s
    }
}
