package io.ranker.state;

import com.fasterxml.jackson.databind.JsonNode;
import io.ranker.scoring.ModelManifest;
import io.ranker.testing.RankerClient;
import io.ranker.testing.ServiceProcess;
import io.ranker.training.TrainingSet;
import io.ranker.training.XgboostTrainer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/** What the multi-replica state tests do again and again: publish, wait for a replica to serve something, train a model. */
final class StateChecks {
    /** How late another replica may serve what one acknowledged (ARCHITECTURE.md, scale-out contract). */
    static final long PROPAGATION_MILLIS = 1_000;

    private StateChecks() {
    }

    static JsonNode rank(ServiceProcess replica, String surface) {
        return replica.client().rank("{\"surface\":\"" + surface + "\",\"userId\":\"u1\",\"query\":\"running shoes\",\"limit\":3,"
                + "\"explain\":true}").expect(200).json();
    }

    static String policyVersion(ServiceProcess replica) {
        return rank(replica, "search").path("policyVersion").asText();
    }

    static String modelVersion(ServiceProcess replica) {
        return rank(replica, "search").path("modelVersion").asText();
    }

    static String explorer(ServiceProcess replica, String surface) {
        return rank(replica, surface).path("explain").path("versions").path("explorer").asText();
    }

    /** The search rule set with its brand cap at {@code max} (a new version per value). */
    static String searchRules(String shipped, int max) {
        String changed = shipped.replace("    max: 2\n", "    max: " + max + "\n");
        if (changed.equals(shipped) && max != 2) throw new IllegalStateException("the shipped search rules have no 'max: 2' cap to edit");
        return changed;
    }

    /**
     * Asks the replica (through what its requests serve) until {@code probe} answers {@code expected}; the request
     * that shows it must have been sent within {@link #PROPAGATION_MILLIS} of {@code acknowledgedNanos}.
     *
     * @return milliseconds from the acknowledgement to the request that showed it
     */
    static long awaitServed(ServiceProcess replica, Function<ServiceProcess, String> probe, String expected, long acknowledgedNanos) {
        String seen = null;
        while (true) {
            long sent = System.nanoTime();
            long millis = (sent - acknowledgedNanos) / 1_000_000;
            if (millis > PROPAGATION_MILLIS) {
                throw new AssertionError(replica + " still served " + seen + " " + millis + " ms after " + expected
                        + " was acknowledged (must be within " + PROPAGATION_MILLIS + " ms)");
            }
            seen = probe.apply(replica);
            if (expected.equals(seen)) return Math.max(0, (sent - acknowledgedNanos) / 1_000_000);
        }
    }

    /** Waits (bounded) for a condition that is not a propagation bound, e.g. convergence after Redis is back. */
    static void eventually(long millis, String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long until = System.currentTimeMillis() + millis;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > until) throw new AssertionError(what + " not within " + millis + " ms");
            Thread.sleep(50);
        }
    }

    /** The features of the replica's active search model (what an uploaded model must be trained on). */
    static List<String> features(ServiceProcess replica) {
        JsonNode models = replica.client().models().expect(200).json();
        String active = models.path("surfaces").path("search").path("active").asText();
        for (JsonNode v : models.path("versions")) {
            if (v.path("version").asText().equals(active)) {
                List<String> out = new ArrayList<>();
                v.path("manifest").path("features").forEach(f -> out.add(f.asText()));
                return out;
            }
        }
        throw new AssertionError("no manifest of the active model " + active + " in " + models);
    }

    /** A small model on {@code features} ({@code rounds} trees; the seed makes versions differ), as the upload JSON. */
    static String modelUpload(List<String> features, int rounds, long seed) throws Exception {
        Random r = new Random(seed);
        int n = 300;
        int d = features.size();
        float[] x = new float[n * d];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) x[i * d + j] = r.nextFloat();
            y[i] = x[i * d] > 0.5 ? 1 : 0;
        }
        byte[] model = new XgboostTrainer().train(new TrainingSet(features, x, y, null, null),
                Map.of("objective", "binary:logistic", "max_depth", 2), rounds).toByteArray("ubj");
        byte[] manifest = new ModelManifest(features, "binary:logistic", "2026-12-01T00:00:00Z", null, Map.of()).toJson();
        return "{\"model\":\"" + Base64.getEncoder().encodeToString(model) + "\",\"manifest\":" + new String(manifest, StandardCharsets.UTF_8) + "}";
    }

    static String upload(ServiceProcess replica, String uploadJson) {
        return replica.client().post("/v1/models", uploadJson, true).expect(201).json().path("version").asText();
    }

    static RankerClient.Response publish(ServiceProcess replica, String yaml, String ifMatch) {
        return replica.client().send("PUT", "/v1/policies/search", yaml, "application/yaml", true, ifMatch == null ? Map.of()
                : Map.of("If-Match", "\"" + ifMatch + "\""));
    }

    static long percentile(List<Long> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }
}
