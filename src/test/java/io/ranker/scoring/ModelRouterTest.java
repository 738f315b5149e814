package io.ranker.scoring;

import ml.dmlc.xgboost4j.java.Booster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelRouterTest {
    static final List<String> FEATURES = TestModels.names("f", 3);
    @TempDir
    static Path dir;
    static ModelRegistry registry;
    static String a, b, c;

    @BeforeAll
    static void models() throws Exception {
        registry = new ModelRegistry(dir.resolve("models"), FEATURES);
        a = register(3);
        b = register(4);
        c = register(5);
    }

    static String register(int rounds) throws Exception {
        Booster booster = TestModels.trainBinary(FEATURES, 300, rounds, 3);
        return registry.register(booster.toByteArray("ubj"), TestModels.manifest(FEATURES)).version();
    }

    ModelRouter router(String yaml) {
        ModelRouter r = new ModelRouter(registry);
        r.apply(ModelsConfig.parse(yaml));
        return r;
    }

    @Test
    void canaryAtTenPercentGetsTenPercentOfUsers() {
        for (String salt : List.of("s1", "s2", "s3")) {
            ModelRouter r = router("surfaces:\n  feed:\n    active: " + a + "\n    salt: " + salt
                    + "\n    canary: {version: " + b + ", percent: 10}\n");
            int canary = 0;
            for (int u = 0; u < 20_000; u++) {
                ModelRoute route = r.route("feed", "user-" + u);
                if ("canary".equals(route.arm())) {
                    canary++;
                    assertThat(route.model().version()).isEqualTo(b);
                } else {
                    assertThat(route.arm()).isNull();
                    assertThat(route.model().version()).isEqualTo(a);
                }
            }
            // 10% +/- 1% of 20,000 (binomial sd is 42 users, so the band is ~4.7 sd wide)
            assertThat(canary).isBetween(1800, 2200);
        }
    }

    @Test
    void experimentArmsMatchWeightsAndSliceSize() {
        double[] weights = {1, 2, 1};
        int users = 20_000;
        for (String salt : List.of("x1", "x2", "x3", "x4", "x5")) {
            ModelRouter r = router("surfaces:\n  feed:\n    active: " + a + "\n"
                    + "    canary: {version: " + c + ", percent: 5}\n"
                    + "    experiments:\n      - name: exp\n        salt: " + salt + "\n        percent: 50\n        arms:\n"
                    + "          - {name: control, weight: 1}\n"
                    + "          - {name: big, weight: 2, model: " + b + "}\n"
                    + "          - {name: other, weight: 1, model: " + c + "}\n");
            Map<String, Integer> counts = new HashMap<>();
            int inExperiment = 0;
            for (int u = 0; u < users; u++) {
                ModelRoute route = r.route("feed", "u" + u);
                String arm = route.arm();
                if (arm != null && arm.startsWith("exp/")) {
                    inExperiment++;
                    counts.merge(arm, 1, Integer::sum);
                    String expectedModel = switch (arm) {
                        case "exp/control" -> a;
                        case "exp/big" -> b;
                        default -> c;
                    };
                    assertThat(route.model().version()).isEqualTo(expectedModel);
                }
            }
            // slice: 50% of users, sd ~71: +/- 500 is 7 sd
            assertThat(inExperiment).isBetween(users / 2 - 500, users / 2 + 500);
            // chi-square goodness of fit to 1:2:1 with 2 degrees of freedom; 13.8 is the 0.1% critical value
            String[] arms = {"exp/control", "exp/big", "exp/other"};
            double chi2 = 0;
            for (int i = 0; i < 3; i++) {
                double expected = inExperiment * weights[i] / 4.0;
                double observed = counts.getOrDefault(arms[i], 0);
                chi2 += (observed - expected) * (observed - expected) / expected;
            }
            assertThat(chi2).as("chi2 for salt " + salt + " " + counts).isLessThan(13.8);
        }
    }

    @Test
    void assignmentIsStickyAcrossRequestsAndReloads() {
        String yaml = "surfaces:\n  feed:\n    active: " + a + "\n    canary: {version: " + b + ", percent: 30}\n"
                + "    experiments:\n      - name: e\n        arms: [{name: x, weight: 1}, {name: y, weight: 1, model: " + c + "}]\n";
        ModelRouter first = router(yaml);
        ModelRouter second = router(yaml);
        for (int u = 0; u < 2000; u++) {
            String user = "sticky-" + u;
            ModelRoute r1 = first.route("feed", user);
            assertThat(first.route("feed", user).arm()).isEqualTo(r1.arm());
            assertThat(second.route("feed", user).arm()).isEqualTo(r1.arm());
            assertThat(second.route("feed", user).model().version()).isEqualTo(r1.model().version());
            assertThat(r1.arm()).isNotNull(); // canary takes 30%, the experiment takes the rest
        }
        // a different surface salt reshuffles users
        ModelRouter salted = router(yaml.replace("  feed:\n", "  feed:\n    salt: other\n"));
        int moved = 0;
        for (int u = 0; u < 2000; u++) {
            boolean before = "canary".equals(first.route("feed", "sticky-" + u).arm());
            boolean after = "canary".equals(salted.route("feed", "sticky-" + u).arm());
            if (before != after) moved++;
        }
        assertThat(moved).isGreaterThan(500); // independent 30% slices disagree for ~42% of users
    }

    @Test
    void anonymousUsersAndUnknownSurfaces() {
        ModelRouter r = router("surfaces:\n  feed:\n    active: " + a + "\n    canary: {version: " + b + ", percent: 100}\n"
                + "    shadow: " + c + "\n");
        assertThat(r.route("feed", null).model().version()).isEqualTo(a);
        assertThat(r.route("feed", null).arm()).isNull();
        assertThat(r.route("feed", "someone").arm()).isEqualTo("canary");
        assertThat(r.route("feed", "someone").shadows()).extracting(XgboostScorer::version).containsExactly(c);
        assertThat(r.route("search", "someone")).isNull();
    }

    @Test
    void refusesConfigsWithUnknownVersionsOrBadShape() {
        ModelRouter r = router("surfaces:\n  feed:\n    active: " + a + "\n");
        assertThatThrownBy(() -> r.apply(ModelsConfig.parse("surfaces:\n  feed:\n    active: 0123456789abcdef\n")))
                .isInstanceOf(ModelRejectedException.class).hasMessageContaining("unknown model version '0123456789abcdef'");
        assertThat(r.route("feed", "u").model().version()).isEqualTo(a);
        assertThatThrownBy(() -> ModelsConfig.parse("surfaces:\n  feed:\n    active: " + a
                + "\n    canary: {version: " + b + ", percent: 60}\n    experiments:\n      - {name: e, percent: 50, arms: [{name: x, weight: 0}]}\n"))
                .isInstanceOf(ModelRejectedException.class)
                .hasMessageContaining("add up to 110")
                .hasMessageContaining("weight: must be positive");
        assertThatThrownBy(() -> ModelsConfig.parse("surfaces:\n  feed:\n    activ: " + a + "\n"))
                .isInstanceOf(ModelRejectedException.class).hasMessageContaining("Unrecognized field \"activ\"");
    }
}
