package io.ranker.cli;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ranker.features.FeatureSchema;
import io.ranker.policy.FilePolicyVersionStore;
import io.ranker.policy.PolicyRegistry;
import io.ranker.policy.SeenItems;
import io.ranker.policy.ValidationLimits;
import io.ranker.scoring.ModelRegistry;
import io.ranker.scoring.ModelRelease;
import io.ranker.scoring.ModelRouter;
import io.ranker.scoring.ModelStores;
import io.ranker.state.LocalStateLock;
import io.ranker.testing.RedisServerHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code state export} / {@code state import}: the live policies and routing as committable files, and back. */
class StateCommandTest {
    static final String RULES = "rules:\n  - {id: f, type: filter, when: {attribute: in_stock, eq: false}}\n";
    static final String RULES2 = RULES + "  - {id: k, type: cap, attribute: brand, max: 1, topK: 3}\n";
    @TempDir
    Path dir;
    final StringWriter out = new StringWriter(), err = new StringWriter();

    int run(String... args) {
        return new CommandLine(new RankerCli()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
    }

    static List<String> features() throws Exception {
        return FeatureSchema.load(Path.of("ranking-config/features.yaml")).columnNames();
    }

    /** A data directory with a published rule set and a promoted model, as a running service would leave it. */
    String prepare(Path data) throws Exception {
        PolicyRegistry policies = new PolicyRegistry(null, new FilePolicyVersionStore(data.resolve("policies")),
                () -> ValidationLimits.DEFAULT, SeenItems.NONE, Clock.systemUTC(), new SimpleMeterRegistry());
        policies.start();
        policies.publish("search", RULES, "alice", "first");
        ModelRegistry models = new ModelRegistry(data.resolve("models"), features());
        ModelRelease release = new ModelRelease(models, new ModelRouter(models), ModelStores.local(Clock.systemUTC()).routing(data.resolve("models")),
                Clock.systemUTC());
        release.start();
        List<String> f = features();
        java.util.Random r = new java.util.Random(3);
        float[] x = new float[200 * f.size()];
        float[] y = new float[200];
        for (int i = 0; i < 200; i++) {
            for (int j = 0; j < f.size(); j++) x[i * f.size() + j] = r.nextFloat();
            y[i] = x[i * f.size()] > 0.5 ? 1 : 0;
        }
        byte[] bytes = new io.ranker.training.XgboostTrainer().train(new io.ranker.training.TrainingSet(f, x, y, null, null),
                java.util.Map.of("objective", "binary:logistic", "max_depth", 2), 3).toByteArray("ubj");
        String v = release.upload("alice", bytes, new io.ranker.scoring.ModelManifest(f, "binary:logistic", "2026-12-01T00:00:00Z", null,
                java.util.Map.of()).toJson()).version();
        release.promote("alice", "feed", v);
        return v;
    }

    @Test
    void exportWritesCommittableFilesAndImportPublishesThem() throws Exception {
        Path data = dir.resolve("data");
        String model = prepare(data);
        Path exported = dir.resolve("exported");
        assertThat(run("state", "export", "--dir", exported.toString(), "--store", "local", "--data-dir", data.toString())).as(err.toString()).isZero();
        assertThat(Files.readString(exported.resolve("policies/search.yaml"))).isEqualTo(RULES);
        assertThat(Files.readString(exported.resolve("models.yaml"))).contains("feed:").contains("active: " + model);

        // edit in the "git" copy, import: the rule set is published (action import), the routing is unchanged
        Files.writeString(exported.resolve("policies/search.yaml"), RULES2);
        assertThat(run("state", "import", "--dir", exported.toString(), "--store", "local", "--data-dir", data.toString(),
                "--author", "ci")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("policies/search.yaml: published version").contains("feed unchanged");
        FilePolicyVersionStore store = new FilePolicyVersionStore(data.resolve("policies"));
        assertThat(store.history("search")).last().satisfies(a -> {
            assertThat(a.action()).isEqualTo("import");
            assertThat(a.author()).isEqualTo("ci");
        });
        assertThat(run("state", "import", "--dir", exported.toString(), "--store", "local", "--data-dir", data.toString())).isZero();
        assertThat(out.toString()).contains("unchanged, version");
        assertThat(store.history("search")).hasSize(2);
    }

    @Test
    void anInvalidFileImportsNothing() throws Exception {
        Path data = dir.resolve("data");
        prepare(data);
        Path in = dir.resolve("in");
        Files.createDirectories(in.resolve("policies"));
        Files.writeString(in.resolve("policies/feed.yaml"), RULES2);
        Files.writeString(in.resolve("policies/search.yaml"), "rules:\n  - {id: x, type: cap, attribute: brand, max: two}\n");
        assertThat(run("state", "import", "--dir", in.toString(), "--store", "local", "--data-dir", data.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("search.yaml").contains("nothing was imported");
        assertThat(new FilePolicyVersionStore(data.resolve("policies")).live()).containsOnlyKeys("search");

        Files.writeString(in.resolve("policies/search.yaml"), RULES);
        Files.writeString(in.resolve("models.yaml"), "surfaces:\n  feed:\n    active: 0123456789abcdef\n");
        assertThat(run("state", "import", "--dir", in.toString(), "--store", "local", "--data-dir", data.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("0123456789abcdef");
        assertThat(new FilePolicyVersionStore(data.resolve("policies")).live()).as("a routing to an unknown model imports nothing")
                .containsOnlyKeys("search");
    }

    @Test
    void importRefusesADataDirectoryAServiceIsRunningOn() throws Exception {
        Path data = dir.resolve("data");
        prepare(data);
        Path in = dir.resolve("in");
        Files.createDirectories(in.resolve("policies"));
        Files.writeString(in.resolve("policies/search.yaml"), RULES2);
        try (LocalStateLock held = LocalStateLock.tryAcquire(data).orElseThrow()) {
            assertThat(run("state", "import", "--dir", in.toString(), "--store", "local", "--data-dir", data.toString())).isEqualTo(2);
            assertThat(err.toString()).contains("a service is running on");
        }
    }

    @Test
    void roundTripThroughTheSharedStore() throws Exception {
        Path data = dir.resolve("data");
        prepare(data);
        Path exported = dir.resolve("exported");
        assertThat(run("state", "export", "--dir", exported.toString(), "--store", "local", "--data-dir", data.toString())).isZero();
        Files.delete(exported.resolve("models.yaml")); // the model files are not in this Redis; policies only
        try (RedisServerHarness redis = RedisServerHarness.standalone()) {
            String[] store = {"--store", "redis", "--redis-hosts", redis.hosts(), "--key-prefix", "t1"};
            assertThat(run(concat(new String[]{"state", "import", "--dir", exported.toString()}, store))).as(err.toString()).isZero();
            Path back = dir.resolve("back");
            assertThat(run(concat(new String[]{"state", "export", "--dir", back.toString()}, store))).as(err.toString()).isZero();
            assertThat(Files.readString(back.resolve("policies/search.yaml"))).isEqualTo(RULES);
            assertThat(Files.readString(back.resolve("models.yaml"))).contains("surfaces: {}");
        }
    }

    static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
