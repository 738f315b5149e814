package io.ranker.testing;

import io.restassured.http.Header;

/**
 * The keys the test profile configures (application.properties, %test): the admin token may do everything;
 * {@code test-pipeline} has ingest, {@code test-app} rank, {@code policy-bot} admin.
 */
public final class TestKeys {
    public static final String ADMIN_TOKEN = "test-admin-token";
    /** {@code Authorization: Bearer test-admin-token} for RestAssured. */
    public static final Header ADMIN = new Header("Authorization", "Bearer " + ADMIN_TOKEN);

    public static final Header INGEST = new Header("Authorization", "Bearer test-ingest-key");
    public static final Header RANK = new Header("Authorization", "Bearer test-rank-key");
    public static final Header POLICY_BOT = new Header("Authorization", "Bearer test-policy-key");

    private TestKeys() {
    }
}
