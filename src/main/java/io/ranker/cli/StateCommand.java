package io.ranker.cli;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ranker.core.DomainException;
import io.ranker.features.FeatureSchema;
import io.ranker.policy.FilePolicyVersionStore;
import io.ranker.policy.PolicyError;
import io.ranker.policy.PolicyParser;
import io.ranker.policy.PolicyRegistry;
import io.ranker.policy.PolicyRejectedException;
import io.ranker.policy.PolicyVersion;
import io.ranker.policy.PolicyVersionStore;
import io.ranker.policy.SeenItems;
import io.ranker.policy.ValidationLimits;
import io.ranker.scoring.ModelRegistry;
import io.ranker.scoring.ModelRejectedException;
import io.ranker.scoring.ModelRelease;
import io.ranker.scoring.ModelRouter;
import io.ranker.scoring.ModelStores;
import io.ranker.scoring.ModelsConfig;
import io.ranker.scoring.RoutingStore;
import io.ranker.scoring.ScoringEvaluator;
import io.ranker.state.LocalStateLock;
import io.ranker.state.RedisModelArtifacts;
import io.ranker.state.RedisModelAudit;
import io.ranker.state.RedisPolicyVersionStore;
import io.ranker.state.RedisRoutingStore;
import io.ranker.state.RedisStateClient;
import io.ranker.state.StateKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code state export --dir D} and {@code state import --dir D}: the live rule sets and model routing as files that
 * can be committed and reviewed ({@code D/policies/<surface>.yaml}, {@code D/models.yaml}, the formats of
 * {@code ranking-config/}), and back. Import validates everything first, as the API does, and changes nothing when
 * anything is invalid; then it publishes each changed rule set and routing through the store (compare-and-set and
 * audited like an API change; with the shared store every replica serves it within a second).
 */
@Command(name = "state", mixinStandardHelpOptions = true,
        description = "Export the live policies and model routing to files, or import them (validated like the API).",
        subcommands = {StateCommand.Export.class, StateCommand.Import.class})
public class StateCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Where the state is: the service's data and config directories and its state store settings. */
    static class Store {
        @Option(names = "--data-dir", defaultValue = "${env:RANKING_DATA_DIR:-data}",
                description = "local store: the service's data directory (default: $RANKING_DATA_DIR, else data)")
        Path dataDir;

        @Option(names = "--config-dir", defaultValue = "${env:RANKING_CONFIG_DIR:-ranking-config}",
                description = "ranking configuration, for the feature schema models are checked against (default: $RANKING_CONFIG_DIR, else ranking-config)")
        Path configDir;

        @Mixin
        StateStoreOptions state = new StateStoreOptions();

        boolean shared() {
            return state.shared();
        }
    }

    /** The stores, opened for one command. */
    record Opened(PolicyVersionStore policies, RoutingStore routing, ModelRegistry models, AutoCloseable resource) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            if (resource != null) resource.close();
        }
    }

    static Opened open(Store s, boolean forWriting) throws IOException {
        List<String> features = FeatureSchema.load(s.configDir.resolve("features.yaml")).columnNames();
        if (!s.shared()) {
            AutoCloseable lock = null;
            if (forWriting) {
                Optional<LocalStateLock> l = LocalStateLock.tryAcquire(s.dataDir);
                if (l.isEmpty()) {
                    throw new DomainException(DomainException.Kind.UNAVAILABLE, "Data directory in use", "a service is running on "
                            + s.dataDir + ": stop it, or change its state through its API (PUT /v1/policies/{surface}, "
                            + "PUT /v1/models/{surface}/routing)");
                }
                lock = l.get();
            }
            Path modelsDir = s.dataDir.resolve("models");
            return new Opened(new FilePolicyVersionStore(s.dataDir.resolve("policies")),
                    ModelStores.local(Clock.systemUTC()).routing(modelsDir), new ModelRegistry(modelsDir, features), lock);
        }
        RedisStateClient redis = s.state.redis();
        StateKeys keys = s.state.keys();
        // models are fetched from the store into a scratch directory to be checked, never into a service's data dir
        Path scratch = Files.createTempDirectory("ranker-state-models");
        ModelRegistry models = new ModelRegistry(scratch, features, ScoringEvaluator.JAVA,
                new RedisModelArtifacts(redis, keys, 1 << 20));
        return new Opened(new RedisPolicyVersionStore(redis, keys),
                new RedisRoutingStore(redis, keys, new RedisModelAudit(redis, keys, Clock.systemUTC(), "cli")), models, () -> {
            redis.close();
            deleteTree(scratch);
        });
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write the live rule set of every surface to DIR/policies/<surface>.yaml and the model routing to "
                    + "DIR/models.yaml. Exit 0, or 2 when the store cannot be read.")
    static class Export implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--dir", required = true, description = "Directory to write (created if needed).")
        Path dir;

        @Mixin
        Store store = new Store();

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
            try (Opened s = open(store, false)) {
                Files.createDirectories(dir.resolve("policies"));
                for (Map.Entry<String, PolicyVersionStore.LivePointer> e : s.policies().live().entrySet()) {
                    String yaml = s.policies().yaml(e.getKey(), e.getValue().version()).orElseThrow(() ->
                            new IllegalStateException("live version " + e.getValue().version() + " of " + e.getKey() + " is not stored"));
                    Files.writeString(dir.resolve("policies").resolve(e.getKey() + ".yaml"), yaml, StandardCharsets.UTF_8);
                    out.println("policies/" + e.getKey() + ".yaml: version " + e.getValue().version() + " (revision " + e.getValue().revision() + ")");
                }
                Map<String, ModelsConfig.SurfaceModels> routing = new TreeMap<>();
                s.routing().load().forEach((surface, r) -> routing.put(surface, r.models()));
                Files.write(dir.resolve("models.yaml"), new ModelsConfig(routing).toYaml());
                out.println("models.yaml: " + routing.size() + " surface(s)" + (routing.isEmpty() ? "" : " " + routing.keySet()));
                return 0;
            } catch (Exception e) {
                err.println("state export: " + e.getMessage());
                return 2;
            }
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Publish DIR/policies/<surface>.yaml and set the routing of DIR/models.yaml, after validating all of "
                    + "them (rule sets as PUT /v1/policies does; routing: every model must be uploaded and load). "
                    + "Exit 0 when done, 1 when anything is invalid (nothing changed), 2 when the store cannot be used.")
    static class Import implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--dir", required = true, description = "Directory with policies/*.yaml and/or models.yaml.")
        Path dir;

        @Option(names = "--author", defaultValue = "${env:USER:-cli}", description = "Who imports (audit trail; default: $USER)")
        String author;

        @Option(names = "--comment", description = "Why (audit trail; default: 'state import from DIR')")
        String comment;

        @Mixin
        PolicyCommand.Limits limits = new PolicyCommand.Limits();

        @Mixin
        Store store = new Store();

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
            String why = comment != null ? comment : "state import from " + dir;
            Map<String, String> rules;
            ModelsConfig routing;
            try {
                rules = ruleFiles(dir.resolve("policies"));
                Path models = dir.resolve("models.yaml");
                routing = Files.isRegularFile(models) ? ModelsConfig.parse(Files.readAllBytes(models)) : null;
            } catch (ModelRejectedException e) {
                err.println(dir.resolve("models.yaml") + ": " + e.getMessage());
                return 1;
            } catch (IOException e) {
                err.println("state import: cannot read " + dir + ": " + e.getMessage());
                return 2;
            }
            if (rules.isEmpty() && routing == null) {
                err.println("state import: " + dir + " has neither policies/*.yaml nor models.yaml");
                return 2;
            }
            // everything is validated before anything changes
            PolicyParser parser = limits.parser();
            int invalid = 0;
            Map<String, String> versions = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : rules.entrySet()) {
                Path file = dir.resolve("policies/" + e.getKey() + ".yaml");
                PolicyParser.Result r = parser.parse(e.getValue());
                for (PolicyError pe : r.errors()) err.println(file + ":" + pe);
                if (!r.valid()) {
                    invalid++;
                    continue;
                }
                Object declared = r.policy().canonical().get("surface");
                if (declared != null && !declared.equals(e.getKey())) {
                    err.println(file + ": declares surface '" + declared + "' but would be published to '" + e.getKey() + "'");
                    invalid++;
                }
                versions.put(e.getKey(), r.policy().version());
            }
            if (invalid > 0) {
                err.println(invalid + " invalid rule file(s); nothing was imported");
                return 1;
            }
            try (Opened s = open(store, true)) {
                ModelRelease release = routing == null ? null : new ModelRelease(s.models(), new ModelRouter(s.models()), s.routing(), Clock.systemUTC());
                if (release != null) {
                    // every model the routing names must load here, before anything changes
                    try {
                        new ModelRouter(s.models()).prepare(routing, null);
                    } catch (ModelRejectedException e) {
                        err.println(dir.resolve("models.yaml") + ": " + e.getMessage() + "; nothing was imported");
                        return 1;
                    }
                }
                PolicyRegistry policies = new PolicyRegistry(null, s.policies(),
                        () -> new ValidationLimits(limits.attributes == null ? Set.of() : Set.copyOf(limits.attributes), limits.maxListSize),
                        SeenItems.NONE, Clock.systemUTC(), new SimpleMeterRegistry());
                policies.start();
                for (Map.Entry<String, String> e : rules.entrySet()) {
                    String before = policies.live(e.getKey()).map(l -> l.meta().version()).orElse(null);
                    if (versions.get(e.getKey()).equals(before)) {
                        out.println("policies/" + e.getKey() + ".yaml: unchanged, version " + before);
                        continue;
                    }
                    PolicyVersion v = policies.publishAs("cli", "import", e.getKey(), e.getValue(), author, why);
                    out.println("policies/" + e.getKey() + ".yaml: published version " + v.version() + (before == null ? "" : " (was " + before + ")"));
                }
                if (release != null) {
                    release.start();
                    Map<String, RoutingStore.SurfaceRouting> now = s.routing().load();
                    for (Map.Entry<String, ModelsConfig.SurfaceModels> e : routing.surfaces().entrySet()) {
                        RoutingStore.SurfaceRouting cur = now.get(e.getKey());
                        if (cur != null && cur.models().equals(e.getValue())) {
                            out.println("models.yaml: " + e.getKey() + " unchanged");
                            continue;
                        }
                        release.setRouting(author, e.getKey(), e.getValue(), null);
                        out.println("models.yaml: " + e.getKey() + " routing set (active " + e.getValue().active() + ")");
                    }
                }
                return 0;
            } catch (PolicyRejectedException e) {
                e.errors().forEach(pe -> err.println(pe.toString()));
                err.println("state import: " + e.getMessage());
                return 1;
            } catch (ModelRejectedException e) {
                err.println("state import: " + e.getMessage());
                return 1;
            } catch (Exception e) {
                err.println("state import: " + e.getMessage());
                return 2;
            }
        }

        private static Map<String, String> ruleFiles(Path policies) throws IOException {
            Map<String, String> out = new LinkedHashMap<>();
            if (!Files.isDirectory(policies)) return out;
            try (Stream<Path> files = Files.list(policies)) {
                for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList()) {
                    String surface = p.getFileName().toString().replaceFirst("\\.yaml$", "");
                    if (!PolicyRegistry.validSurface(surface)) {
                        throw new IOException(p + ": a surface name is 1-64 lowercase letters, digits, '_' or '-'");
                    }
                    out.put(surface, Files.readString(p, StandardCharsets.UTF_8));
                }
            }
            return out;
        }
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a scratch directory in /tmp
        }
    }
}
