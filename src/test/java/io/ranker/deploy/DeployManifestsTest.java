package io.ranker.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks that what {@code deploy/} tells Kubernetes, Docker, Prometheus and Grafana matches what the
 * service really serves: health paths, the HTTP port, the configuration keys behind every
 * {@code RANKING_*}/{@code QUARKUS_*} variable, the ranking-config files, the fast-jar layout and the
 * exported metric names. Everything it compares against is read from the checkout (application.properties,
 * the {@code @ConfigMapping} interfaces, the Quarkus extensions' own config metadata on the classpath, the
 * main sources' meter names), so a rename on either side fails here instead of in a cluster.
 * A plain unit test: no Quarkus boot, no cluster, no Docker engine.
 */
class DeployManifestsTest {

    private static final Path ROOT = Path.of(System.getProperty("user.dir"));
    private static final Path DEPLOY = ROOT.resolve("deploy");
    private static final Path RANKING_CONFIG = ROOT.resolve("ranking-config");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every YAML document under deploy/, by file (multi-document files give several). */
    private static Map<Path, List<JsonNode>> manifests;
    private static Properties applicationProperties;
    private static int httpPort;
    private static int managementPort;

    @BeforeAll
    static void load() throws IOException {
        assertThat(DEPLOY).as("deploy/ directory").isDirectory();
        manifests = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(DEPLOY)) {
            for (Path file : files.filter(p -> p.toString().matches(".*\\.ya?ml$")).sorted().toList()) {
                List<JsonNode> docs = new ArrayList<>();
                try (var it = YAML.readerFor(JsonNode.class).<JsonNode>readValues(file.toFile())) {
                    while (it.hasNext()) {
                        JsonNode doc = it.next();
                        if (doc != null && !doc.isNull() && !doc.isMissingNode() && !doc.isEmpty()) {
                            docs.add(doc);
                        }
                    }
                }
                manifests.put(file, docs);
            }
        }
        applicationProperties = new Properties();
        try (Reader r = Files.newBufferedReader(ROOT.resolve("src/main/resources/application.properties"))) {
            applicationProperties.load(r);
        }
        httpPort = Integer.parseInt(resolveDefault(Optional.ofNullable(applicationProperties.getProperty("%prod.quarkus.http.port"))
                .or(() -> Optional.ofNullable(applicationProperties.getProperty("quarkus.http.port")))
                .orElse("8080")));
        managementPort = Integer.parseInt(resolveDefault(Optional.ofNullable(applicationProperties.getProperty("%prod.quarkus.management.port"))
                .or(() -> Optional.ofNullable(applicationProperties.getProperty("quarkus.management.port")))
                .orElse("9000")));
    }

    // ---------------------------------------------------------------------------------------------
    // The manifests are there and well-formed

    @Test
    void everyManifestParsesAndTheExpectedObjectsExist() throws IOException {
        assertThat(manifests).as("YAML files under deploy/").isNotEmpty();
        manifests.forEach((file, docs) -> assertThat(docs).as("documents in " + ROOT.relativize(file)).isNotEmpty());
        Set<String> kinds = k8sObjects().map(o -> o.path("kind").asText()).collect(Collectors.toSet());
        assertThat(kinds).contains("Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget",
                "Secret", "StatefulSet");
        assertThat(k8sObjects().filter(o -> o.path("kind").asText().equals("HorizontalPodAutoscaler")))
                .allSatisfy(hpa -> assertThat(hpa.findValuesAsText("name")).as("HPA scales on CPU").contains("cpu"));
        // The HPA, PDB and Service must select/target the serving Deployment.
        JsonNode deployment = rankerDeployment();
        JsonNode podLabels = deployment.at("/spec/template/metadata/labels");
        for (JsonNode o : k8sObjects().toList()) {
            String kind = o.path("kind").asText();
            if (kind.equals("Service") && o.at("/metadata/name").asText().equals("ranker")) {
                assertSelects(o.at("/spec/selector"), podLabels, "Service ranker");
            } else if (kind.equals("PodDisruptionBudget")) {
                assertSelects(o.at("/spec/selector/matchLabels"), podLabels, "PodDisruptionBudget");
            } else if (kind.equals("HorizontalPodAutoscaler")) {
                assertThat(o.at("/spec/scaleTargetRef/name").asText()).isEqualTo(deployment.at("/metadata/name").asText());
            }
        }
        assertThat(kustomization().path("configMapGenerator").isArray()).as("kustomization configMapGenerator").isTrue();
        JSON.readTree(dashboardFile().toFile()); // the dashboard is valid JSON
    }

    // ---------------------------------------------------------------------------------------------
    // Probes and ports

    @Test
    void probesUseTheQuarkusHealthPaths() {
        String healthRoot = "/" + stripSlashes(property("quarkus.http.non-application-root-path").orElse("q"))
                + "/" + stripSlashes(property("quarkus.smallrye-health.root-path").orElse("health"));
        JsonNode container = rankerContainer();
        assertThat(container.at("/startupProbe/httpGet/path").asText()).isEqualTo(healthRoot + "/started");
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo(healthRoot + "/ready");
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo(healthRoot + "/live");
        // health is served on the management interface only (issue 15): the probes must knock there
        assertThat(applicationProperties.getProperty("quarkus.management.enabled")).as("quarkus.management.enabled").isEqualTo("true");
        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
            JsonNode port = container.at("/" + probe + "/httpGet/port");
            assertThat(resolveContainerPort(container, port)).as(probe + " port").isEqualTo(managementPort);
        }
        String composeCheck = String.join(" ", texts(composeService("ranker").at("/healthcheck/test")));
        assertThat(composeCheck).as("compose healthcheck").containsPattern("[:/]" + managementPort + "\\b").contains(healthRoot + "/ready");
    }

    @Test
    void containerPortsMatchTheConfiguredHttpPort() throws Exception {
        JsonNode container = rankerContainer();
        assertThat(container.path("ports")).as("container ports").isNotEmpty();
        assertThat(resolveContainerPort(container, YAML.getNodeFactory().textNode("http"))).isEqualTo(httpPort);
        envOf(container).getOrDefault("QUARKUS_HTTP_PORT", Optional.empty())
                .ifPresent(v -> assertThat(Integer.parseInt(v)).as("QUARKUS_HTTP_PORT").isEqualTo(httpPort));
        JsonNode service = k8sObjects().filter(o -> o.path("kind").asText().equals("Service")
                && o.at("/metadata/name").asText().equals("ranker")).findFirst().orElseThrow();
        for (JsonNode p : service.at("/spec/ports")) {
            assertThat(resolveContainerPort(container, p.path("targetPort"))).as("Service targetPort (never the management port)")
                    .isEqualTo(httpPort);
        }
        assertThat(resolveContainerPort(container, YAML.getNodeFactory().textNode("management"))).isEqualTo(managementPort);
        JsonNode annotations = rankerDeployment().at("/spec/template/metadata/annotations");
        if (annotations.has("prometheus.io/port")) {
            assertThat(annotations.path("prometheus.io/port").asInt()).as("metrics are on the management port").isEqualTo(managementPort);
            assertThat(annotations.path("prometheus.io/path").asText()).isEqualTo(metricsPath());
        }
        // compose: "127.0.0.1:8080:8080" -> the container side is the last part
        for (String mapping : texts(composeService("ranker").path("ports"))) {
            assertThat(Integer.parseInt(mapping.substring(mapping.lastIndexOf(':') + 1))).as("compose port " + mapping).isEqualTo(httpPort);
            assertThat(mapping).as("compose binds to loopback").startsWith("127.0.0.1:");
        }
        // Prometheus scrapes the metrics path on that port
        JsonNode scrape = manifests.get(DEPLOY.resolve("prometheus.yml")).get(0).at("/scrape_configs");
        JsonNode rankerJob = stream(scrape).filter(j -> j.path("job_name").asText().equals("ranker")).findFirst().orElseThrow();
        assertThat(rankerJob.path("metrics_path").asText()).isEqualTo(metricsPath());
        assertThat(rankerJob.findValues("targets").stream().flatMap(t -> texts(t).stream()))
                .isNotEmpty().allSatisfy(t -> assertThat(t).endsWith(":" + managementPort));
        assertThat(imageProperty("image.port")).as("port the image exposes (pom.xml, profile image)").isEqualTo(String.valueOf(httpPort));
        assertThat(imageProperty("image.management.port")).as("management port the image exposes").isEqualTo(String.valueOf(managementPort));
    }

    /** The key list is a file in a mounted Secret (so rotations reach the pod), and replicas share the impression secret. */
    @Test
    void apiKeysComeFromAMountedSecretAndTheImpressionSecretIsShared() {
        JsonNode container = rankerContainer();
        Map<String, Optional<String>> env = envOf(container);
        String keysFile = literalEnv(env, "RANKING_AUTH_KEYS_FILE");
        Path file = Path.of(keysFile);
        JsonNode mount = stream(container.path("volumeMounts"))
                .filter(m -> m.path("mountPath").asText().equals(file.getParent().toString())).findFirst().orElseThrow(
                        () -> new AssertionError("no volume mounted at " + file.getParent()));
        JsonNode volume = stream(rankerDeployment().at("/spec/template/spec/volumes"))
                .filter(v -> v.path("name").asText().equals(mount.path("name").asText())).findFirst().orElseThrow();
        String secret = volume.at("/secret/secretName").asText();
        assertThat(secret).as("the keys volume is a Secret").isNotEmpty();
        assertThat(stream(volume.at("/secret/items")).map(i -> i.path("path").asText())).contains(file.getFileName().toString());
        assertThat(k8sObjects().filter(o -> o.path("kind").asText().equals("Secret") && o.at("/metadata/name").asText().equals(secret)))
                .as("Secret " + secret).isNotEmpty();
        JsonNode impression = stream(container.path("env")).filter(e -> e.path("name").asText().equals("RANKING_AUTH_IMPRESSION_KEYS"))
                .findFirst().orElseThrow(() -> new AssertionError("RANKING_AUTH_IMPRESSION_KEYS is not set"));
        assertThat(impression.at("/valueFrom/secretKeyRef/optional").asBoolean(false)).as("a required Secret").isFalse();
    }

    // ---------------------------------------------------------------------------------------------
    // Environment variables -> configuration keys

    @Test
    void everyRankingAndQuarkusEnvVarMapsToAKnownRuntimeConfigKey() throws Exception {
        ConfigKeys keys = ConfigKeys.load(ROOT, applicationProperties);
        Map<String, Map<String, Optional<String>>> envByOwner = new LinkedHashMap<>();
        k8sObjects().filter(o -> o.has("spec") && o.at("/spec/template/spec/containers").isArray()).forEach(o -> {
            for (JsonNode c : o.at("/spec/template/spec/containers")) {
                envByOwner.put(o.path("kind").asText() + "/" + o.at("/metadata/name").asText() + "/" + c.path("name").asText(), envOf(c));
            }
        });
        composeServices().fields().forEachRemaining(s -> envByOwner.put("compose/" + s.getKey(), composeEnv(s.getValue())));
        envByOwner.put("image (src/image/java)", imageEnv());

        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (var owner : envByOwner.entrySet()) {
            for (var env : owner.getValue().entrySet()) {
                String name = env.getKey();
                if (!name.startsWith("RANKING_") && !name.startsWith("QUARKUS_")) {
                    continue;
                }
                checked++;
                Optional<String> problem = keys.check(name, env.getValue());
                problem.ifPresent(p -> problems.add(owner.getKey() + ": " + p));
            }
        }
        assertThat(checked).as("RANKING_/QUARKUS_ variables found in deploy/").isGreaterThan(3);
        assertThat(problems).as("environment variables that the service would ignore or reject").isEmpty();
    }

    @Test
    void everyPodLogsUnderItsOwnNameOnOneSharedReadWriteManyLogRoot() {
        JsonNode container = rankerContainer();
        String logDir = literalEnv(envOf(container), "RANKING_LOG_DIR");
        JsonNode replicaId = stream(container.path("env")).filter(e -> e.path("name").asText().equals("RANKING_REPLICA_ID"))
                .findFirst().orElseThrow(() -> new AssertionError("RANKING_REPLICA_ID is not set"));
        assertThat(replicaId.at("/valueFrom/fieldRef/fieldPath").asText()).as("the pod name: unique per replica").isEqualTo("metadata.name");
        String volume = stream(container.path("volumeMounts")).filter(m -> m.path("mountPath").asText().equals(logDir))
                .map(m -> m.path("name").asText()).findFirst().orElseThrow(() -> new AssertionError("no volume at RANKING_LOG_DIR"));
        String claim = stream(rankerDeployment().at("/spec/template/spec/volumes")).filter(v -> v.path("name").asText().equals(volume))
                .map(v -> v.at("/persistentVolumeClaim/claimName").asText()).findFirst().orElse("");
        JsonNode pvc = k8sObjects().filter(o -> o.path("kind").asText().equals("PersistentVolumeClaim")
                && o.at("/metadata/name").asText().equals(claim)).findFirst()
                .orElseThrow(() -> new AssertionError("no PersistentVolumeClaim '" + claim + "' for the log root"));
        assertThat(texts(pvc.at("/spec/accessModes"))).as("shared by every pod").contains("ReadWriteMany");
        Path file = manifests.entrySet().stream().filter(e -> e.getValue().contains(pvc)).findFirst().orElseThrow().getKey();
        assertThat(texts(kustomization().path("resources"))).as("applied with the Deployment").contains(file.getFileName().toString());
    }

    @Test
    void secretAndConfigMapReferencesResolve() {
        Map<String, Set<String>> secretKeys = new LinkedHashMap<>();
        k8sObjects().filter(o -> o.path("kind").asText().equals("Secret")).forEach(s -> {
            Set<String> ks = new TreeSet<>();
            s.path("stringData").fieldNames().forEachRemaining(ks::add);
            s.path("data").fieldNames().forEachRemaining(ks::add);
            secretKeys.put(s.at("/metadata/name").asText(), ks);
        });
        for (JsonNode env : rankerContainer().path("env")) {
            JsonNode ref = env.at("/valueFrom/secretKeyRef");
            if (ref.isMissingNode()) {
                continue;
            }
            assertThat(secretKeys).as("Secret for " + env.path("name").asText()).containsKey(ref.path("name").asText());
            assertThat(secretKeys.get(ref.path("name").asText())).as("key in Secret " + ref.path("name").asText())
                    .contains(ref.path("key").asText());
        }
    }

    @Test
    void dataAndConfigDirsAreMountedWhereTheEnvironmentPointsThem() {
        JsonNode container = rankerContainer();
        Map<String, Optional<String>> env = envOf(container);
        Map<String, String> mounts = new LinkedHashMap<>();
        container.path("volumeMounts").forEach(m -> mounts.put(m.path("mountPath").asText(), m.path("name").asText()));
        Map<String, JsonNode> volumes = new LinkedHashMap<>();
        rankerDeployment().at("/spec/template/spec/volumes").forEach(v -> volumes.put(v.path("name").asText(), v));

        String dataDir = literalEnv(env, "RANKING_DATA_DIR");
        assertThat(mounts).as("a volume at RANKING_DATA_DIR").containsKey(dataDir);
        JsonNode dataVolume = volumes.get(mounts.get(dataDir));
        assertThat(dataVolume.has("emptyDir") || dataVolume.has("persistentVolumeClaim")).as("data dir is an emptyDir or PVC").isTrue();

        String configDir = literalEnv(env, "RANKING_CONFIG_DIR");
        assertThat(mounts).as("a volume at RANKING_CONFIG_DIR").containsKey(configDir);
        assertThat(volumes.get(mounts.get(configDir)).at("/configMap/name").asText()).isEqualTo("ranker-ranking-config");

        // The root filesystem is read-only, so every path the JVM writes to must be a volume.
        if (container.at("/securityContext/readOnlyRootFilesystem").asBoolean(false)) {
            assertThat(mounts).as("writable /tmp (xgboost4j unpacks its native library there)").containsKey("/tmp");
        }
    }

    /**
     * Issue 12: every replica serves the same policies, models and switches, so the Deployment and compose keep them
     * in the shared state store; ranking-config is a read-only seed (no init container copying models.yaml, no
     * writable models file).
     */
    @Test
    void replicasShareTheirStateThroughRedisAndNeverWriteRankingConfig() {
        JsonNode container = rankerContainer();
        Map<String, Optional<String>> env = envOf(container);
        assertThat(literalEnv(env, "RANKING_STATE_STORE")).isEqualTo("redis");
        assertThat(env).as("no writable models file: the routing lives in the state store").doesNotContainKey("RANKING_MODELS_FILE");
        assertThat(rankerDeployment().at("/spec/template/spec/initContainers").toString())
                .as("no init container copies models.yaml").doesNotContain("models.yaml");
        container.path("volumeMounts").forEach(m -> {
            if (m.path("name").asText().equals("ranking-config")) assertThat(m.path("readOnly").asBoolean()).isTrue();
        });
        JsonNode compose = composeService("ranker").path("environment");
        assertThat(compose.path("RANKING_STATE_STORE").asText()).isEqualTo("redis");
        assertThat(compose.has("RANKING_MODELS_FILE")).isFalse();
    }

    @Test
    void rankingConfigMapHoldsExactlyTheFilesOfRankingConfig() throws IOException {
        // kustomize generator "key=../../ranking-config/rel/path" -> key -> rel/path
        Map<String, String> generated = new LinkedHashMap<>();
        JsonNode generator = stream(kustomization().path("configMapGenerator"))
                .filter(g -> g.path("name").asText().equals("ranker-ranking-config")).findFirst().orElseThrow();
        Path kustomizeDir = DEPLOY.resolve("k8s");
        for (String entry : texts(generator.path("files"))) {
            int eq = entry.indexOf('=');
            assertThat(eq).as("generator entry names its key: " + entry).isPositive();
            Path source = kustomizeDir.resolve(entry.substring(eq + 1)).normalize();
            assertThat(source.startsWith(RANKING_CONFIG)).as(entry + " points into ranking-config/").isTrue();
            generated.put(entry.substring(0, eq), RANKING_CONFIG.relativize(source).toString().replace('\\', '/'));
        }
        // The Deployment's volume items put every key back at its relative path.
        JsonNode volume = stream(rankerDeployment().at("/spec/template/spec/volumes"))
                .filter(v -> v.at("/configMap/name").asText().equals("ranker-ranking-config")).findFirst().orElseThrow();
        Map<String, String> items = new LinkedHashMap<>();
        volume.at("/configMap/items").forEach(i -> items.put(i.path("key").asText(), i.path("path").asText()));
        assertThat(items).as("ConfigMap volume items (key -> path)").isEqualTo(generated);

        if (Files.isDirectory(RANKING_CONFIG)) {
            Set<String> onDisk;
            try (Stream<Path> files = Files.walk(RANKING_CONFIG)) {
                onDisk = files.filter(Files::isRegularFile).filter(p -> p.toString().matches(".*\\.ya?ml$"))
                        .map(p -> RANKING_CONFIG.relativize(p).toString().replace('\\', '/'))
                        .collect(Collectors.toCollection(TreeSet::new));
            }
            Set<String> notMounted = new TreeSet<>(onDisk);
            notMounted.removeAll(generated.values());
            Set<String> missing = new TreeSet<>(generated.values());
            missing.removeAll(onDisk);
            assertThat(notMounted).as("files under ranking-config/ that the cluster would not get: add each to the "
                    + "configMapGenerator in deploy/k8s/kustomization.yaml and to the Deployment's volume items").isEmpty();
            assertThat(missing).as("files the ConfigMap expects that ranking-config/ does not have").isEmpty();
        }
    }

    @Test
    void theJvmIsSizedToTheContainer() {
        JsonNode container = rankerContainer();
        JsonNode resources = container.path("resources");
        assertThat(resources.at("/limits/memory").asText()).as("memory limit (the heap is a share of it)").isNotEmpty();
        assertThat(resources.at("/requests/cpu").asText()).as("CPU request (the HPA's utilisation is relative to it)").isNotEmpty();
        String jvm = envOf(container).getOrDefault("JDK_JAVA_OPTIONS", Optional.empty()).orElse("");
        assertThat(jvm).as("JDK_JAVA_OPTIONS of the ranker container").contains("MaxRAMPercentage")
                .doesNotContainPattern("-Xmx\\d");
        Matcher pct = Pattern.compile("MaxRAMPercentage=(\\d+(?:\\.\\d+)?)").matcher(jvm);
        assertThat(pct.find()).isTrue();
        // Lucene's mmapped index, xgboost's native memory and thread stacks live outside the heap.
        assertThat(Double.parseDouble(pct.group(1))).as("heap share of the container").isBetween(25.0, 75.0);
    }

    // ---------------------------------------------------------------------------------------------
    // The image (built by src/image/java with -Pimage; ImageArchiveIT reads the archive itself)

    @Test
    void theImageAgreesWithTheManifests() throws Exception {
        // the base is one property: a Temurin 25 JRE
        assertThat(imageProperty("image.base")).as("image.base").startsWith("eclipse-temurin:25").contains("jre");
        // the user the image runs as is the one the Deployment asks for
        JsonNode pod = rankerDeployment().at("/spec/template/spec/securityContext");
        assertThat(imageProperty("image.user")).as("image.user (pom.xml) vs the Deployment's runAsUser:runAsGroup")
                .isEqualTo(pod.path("runAsUser").asText() + ":" + pod.path("runAsGroup").asText());
        String jvm = imageProperty("image.jvm.options");
        assertThat(jvm).as("image.jvm.options").contains("MaxRAMPercentage").doesNotContainPattern("-Xmx\\d")
                // Lucene's SIMD vector code needs the incubating module on the command line
                .contains("--add-modules jdk.incubator.vector");
        // compose runs the image's layout: the fast-jar under its home, ranking-config mounted over the baked one
        String home = imageSourceConstant("HOME");
        JsonNode compose = composeService("ranker");
        assertThat(compose.has("entrypoint")).as("compose runs the image's own entrypoint (nothing to copy: ranking-config"
                + " only seeds the state store, and the service never writes it)").isFalse();
        assertThat(texts(compose.path("volumes"))).as("compose mounts ranking-config where the image keeps it")
                .anyMatch(v -> v.endsWith(":" + home + "/ranking-config:ro"));
        String projectVersion = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(ROOT.resolve("pom.xml").toFile()).getDocumentElement().getElementsByTagName("version").item(0).getTextContent();
        assertThat(compose.path("image").asText()).as("compose runs the image `docker load` gives (image.name)")
                .isEqualTo(imageProperty("image.name").replace("${project.version}", projectVersion));
        assertThat(compose.has("build")).as("no Dockerfile build: the image comes from mvn -Pimage").isFalse();
        assertThat(DEPLOY.resolve("Dockerfile")).as("one image definition (src/image/java)").doesNotExist();
        // When a build exists in this checkout, the layout the image copies is what Quarkus produced.
        Path quarkusApp = ROOT.resolve("target/quarkus-app");
        if (Files.isRegularFile(quarkusApp.resolve("quarkus-run.jar"))) {
            for (String part : List.of("lib", "app", "quarkus")) {
                assertThat(quarkusApp.resolve(part)).as("built " + part + "/").isDirectory();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Grafana dashboard

    @Test
    void dashboardQueriesOnlyUseMetricsTheServiceExports() throws IOException {
        JsonNode dashboard = JSON.readTree(dashboardFile().toFile());
        List<String> exprs = new ArrayList<>(dashboard.findValuesAsText("expr"));
        dashboard.at("/templating/list").forEach(v -> exprs.add(v.at("/query/query").asText(v.path("query").asText())));
        assertThat(exprs).as("dashboard queries").hasSizeGreaterThan(5);

        Set<String> metrics = new TreeSet<>();
        exprs.forEach(e -> metrics.addAll(PromQl.metricNames(e)));
        assertThat(metrics).as("the per-stage timer is on the dashboard").contains("ranker_stage_seconds_bucket");

        String mainSources = mainJavaSources();
        Set<String> meterNames = MeterNames.declaredIn(mainSources);
        List<String> unknown = metrics.stream().filter(m -> !MeterNames.isExported(m, meterNames)).toList();
        assertThat(unknown).as("dashboard metrics that no meter in src/main/java exports (meters found: " + meterNames + ")")
                .isEmpty();
        if (metrics.stream().anyMatch(m -> m.startsWith("ranker_") && m.endsWith("_bucket"))) {
            assertThat(mainSources).as("histogram buckets are published (Timer.builder(..).publishPercentileHistogram()), "
                    + "otherwise the p50/p99 panels stay empty").contains("publishPercentileHistogram");
        }
        // every stage the pipeline times has a series; the dashboard filters stage by a label variable
        assertThat(String.join("\n", exprs)).contains("stage=\"total\"");
    }

    /** One metric prefix: dashboards, alerts and scrapers can select the service's own series with {@code ranker_.*}. */
    @Test
    void everyMeterInTheMainSourcesUsesTheRankerPrefix() throws IOException {
        Matcher m = Pattern.compile("(?:\\.(?:counter|timer|gauge|summary|gaugeCollectionSize|gaugeMapSize)"
                + "|\\b(?:Timer|Gauge|Counter|FunctionCounter|FunctionTimer|DistributionSummary|LongTaskTimer|TimeGauge)\\.builder)"
                + "\\(\\s*\"([^\"]+)\"").matcher(mainJavaSources());
        Set<String> names = new TreeSet<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        assertThat(names).as("meter registrations found in src/main/java").hasSizeGreaterThan(20);
        assertThat(names).as("meters not named ranker.*").allMatch(n -> n.startsWith("ranker."));
    }

    // =============================================================================================
    // Helpers

    private static Stream<JsonNode> k8sObjects() {
        return manifests.values().stream().flatMap(List::stream).filter(d -> d.has("apiVersion") && d.has("kind")
                && !d.path("kind").asText().equals("Kustomization"));
    }

    private static JsonNode kustomization() {
        return manifests.get(DEPLOY.resolve("k8s/kustomization.yaml")).get(0);
    }

    private static JsonNode rankerDeployment() {
        return k8sObjects().filter(o -> o.path("kind").asText().equals("Deployment") && o.at("/metadata/name").asText().equals("ranker"))
                .findFirst().orElseThrow(() -> new AssertionError("no Deployment named ranker under deploy/"));
    }

    private static JsonNode rankerContainer() {
        return stream(rankerDeployment().at("/spec/template/spec/containers"))
                .filter(c -> c.path("name").asText().equals("ranker")).findFirst().orElseThrow();
    }

    private static JsonNode composeServices() {
        return manifests.get(DEPLOY.resolve("compose.yaml")).get(0).path("services");
    }

    private static JsonNode composeService(String name) {
        JsonNode s = composeServices().path(name);
        assertThat(s.isMissingNode()).as("compose service " + name).isFalse();
        return s;
    }

    private static Path dashboardFile() throws IOException {
        try (Stream<Path> files = Files.walk(DEPLOY.resolve("grafana"))) {
            return files.filter(p -> p.toString().endsWith(".json")).findFirst()
                    .orElseThrow(() -> new AssertionError("no Grafana dashboard JSON under deploy/grafana"));
        }
    }

    /** A property of the {@code image} profile in pom.xml. */
    private static String imageProperty(String name) throws Exception {
        var doc = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(ROOT.resolve("pom.xml").toFile());
        var profiles = doc.getElementsByTagName("profile");
        for (int i = 0; i < profiles.getLength(); i++) {
            var profile = (org.w3c.dom.Element) profiles.item(i);
            if (profile.getElementsByTagName("id").item(0).getTextContent().equals("image")) {
                var value = profile.getElementsByTagName(name);
                assertThat(value.getLength()).as("property " + name + " of the image profile").isEqualTo(1);
                return value.item(0).getTextContent().strip();
            }
        }
        throw new AssertionError("pom.xml has no profile `image`");
    }

    private static String imageSource() throws IOException {
        return Files.readString(ROOT.resolve("src/image/java/io/ranker/image/RankerImage.java"));
    }

    /** {@code static final AbsoluteUnixPath NAME = AbsoluteUnixPath.get("/path");} in RankerImage. */
    private static String imageSourceConstant(String name) throws IOException {
        Matcher m = Pattern.compile("\\b" + name + "\\s*=\\s*AbsoluteUnixPath\\.get\\(\"([^\"]+)\"\\)").matcher(imageSource());
        assertThat(m.find()).as("constant " + name + " in RankerImage").isTrue();
        return m.group(1);
    }

    /** The variables the image sets (values are computed there, so none is a literal here). */
    private static Map<String, Optional<String>> imageEnv() throws IOException {
        Map<String, Optional<String>> env = new LinkedHashMap<>();
        Matcher m = Pattern.compile("addEnvironmentVariable\\(\"([A-Z0-9_]+)\"").matcher(imageSource());
        while (m.find()) {
            env.put(m.group(1), Optional.empty());
        }
        assertThat(env).as("environment the image sets").containsKeys("RANKING_DATA_DIR", "RANKING_CONFIG_DIR", "JDK_JAVA_OPTIONS");
        return env;
    }

    /** Quarkus serves Prometheus at {@code <non-application root>/metrics} unless the export path is set (absolute or relative). */
    private static String metricsPath() {
        String root = "/" + stripSlashes(property("quarkus.http.non-application-root-path").orElse("q"));
        String path = property("quarkus.micrometer.export.prometheus.path").orElse("metrics");
        return path.startsWith("/") ? path : root + "/" + stripSlashes(path);
    }

    private static Optional<String> property(String key) {
        return Optional.ofNullable(applicationProperties.getProperty("%prod." + key))
                .or(() -> Optional.ofNullable(applicationProperties.getProperty(key)));
    }

    private static void assertSelects(JsonNode selector, JsonNode podLabels, String what) {
        assertThat(selector.isObject()).as(what + " selector").isTrue();
        selector.fields().forEachRemaining(e -> assertThat(podLabels.path(e.getKey()).asText()).as(what + " selects " + e.getKey())
                .isEqualTo(e.getValue().asText()));
    }

    /** A probe or Service port is either a number or the name of a container port. */
    private static int resolveContainerPort(JsonNode container, JsonNode port) {
        if (port.isInt() || port.asText().matches("\\d+")) {
            return port.asInt(Integer.parseInt(port.asText("0")));
        }
        return stream(container.path("ports")).filter(p -> p.path("name").asText().equals(port.asText()))
                .map(p -> p.path("containerPort").asInt()).findFirst()
                .orElseThrow(() -> new AssertionError("no container port named " + port.asText()));
    }

    /** env name -> literal value (empty when it comes from a Secret/ConfigMap). envFrom is resolved against deploy/. */
    private static Map<String, Optional<String>> envOf(JsonNode container) {
        Map<String, Optional<String>> env = new LinkedHashMap<>();
        container.path("env").forEach(e -> env.put(e.path("name").asText(),
                e.has("value") ? Optional.of(e.path("value").asText()) : Optional.empty()));
        container.path("envFrom").forEach(from -> {
            String ref = from.has("configMapRef") ? from.at("/configMapRef/name").asText() : from.at("/secretRef/name").asText();
            String prefix = from.path("prefix").asText("");
            k8sObjects().filter(o -> o.at("/metadata/name").asText().equals(ref)).forEach(o -> {
                o.path("data").fields().forEachRemaining(d -> env.put(prefix + d.getKey(), Optional.of(d.getValue().asText())));
                o.path("stringData").fields().forEachRemaining(d -> env.put(prefix + d.getKey(), Optional.of(d.getValue().asText())));
            });
        });
        return env;
    }

    /** compose environment is a map or a list of NAME=value; ${VAR:-x} values are not literals. */
    private static Map<String, Optional<String>> composeEnv(JsonNode service) {
        Map<String, Optional<String>> env = new LinkedHashMap<>();
        JsonNode e = service.path("environment");
        if (e.isObject()) {
            e.fields().forEachRemaining(f -> env.put(f.getKey(), literal(f.getValue().asText())));
        } else {
            for (String kv : texts(e)) {
                int eq = kv.indexOf('=');
                env.put(eq < 0 ? kv : kv.substring(0, eq), eq < 0 ? Optional.empty() : literal(kv.substring(eq + 1)));
            }
        }
        return env;
    }

    private static String literalEnv(Map<String, Optional<String>> env, String name) {
        return env.getOrDefault(name, Optional.empty())
                .orElseThrow(() -> new AssertionError(name + " is not set to a literal path in the ranker container"));
    }

    private static Optional<String> literal(String value) {
        return value.contains("${") ? Optional.empty() : Optional.of(value);
    }

    private static List<String> texts(JsonNode node) {
        if (node.isArray()) {
            return stream(node).map(JsonNode::asText).toList();
        }
        return node.isMissingNode() || node.isNull() ? List.of() : List.of(node.asText());
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out.stream();
    }

    private static String stripSlashes(String s) {
        return s.replaceAll("^/+|/+$", "");
    }

    /** "${PORT:8080}" -> "8080"; plain values unchanged. */
    private static String resolveDefault(String value) {
        Matcher m = Pattern.compile("^\\$\\{[^:}]+:([^}]*)}$").matcher(value.trim());
        return m.matches() ? m.group(1) : value.trim();
    }

    static String mainJavaSources() throws IOException {
        Path main = ROOT.resolve("src/main/java");
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(main)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                all.append(Files.readString(f)).append('\n');
            }
        }
        return all.toString();
    }

    // =============================================================================================

    /** The configuration keys the service reads, and how SmallRye Config maps environment variables onto them. */
    static final class ConfigKeys {
        /** env-var form -> description of where the key comes from */
        private final Map<String, String> exact = new LinkedHashMap<>();
        /** env-var regex (map keys) -> source */
        private final Map<Pattern, String> patterns = new LinkedHashMap<>();
        /** env-var form -> enum constants accepted for that key */
        private final Map<String, Set<String>> enumValues = new LinkedHashMap<>();
        /** env-var form -> phase, for Quarkus keys fixed at build time */
        private final Map<String, String> buildTime = new LinkedHashMap<>();

        static ConfigKeys load(Path root, Properties applicationProperties) throws Exception {
            ConfigKeys keys = new ConfigKeys();
            for (String key : applicationProperties.stringPropertyNames()) {
                keys.exact.put(envName(key.replaceFirst("^%[^.]+\\.", "")), "application.properties");
                // quarkus.log.console.json.enabled=${RANKING_LOG_JSON:false}: the variable itself is read too
                Matcher ref = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)").matcher(applicationProperties.getProperty(key));
                while (ref.find()) {
                    keys.exact.put(ref.group(1), "application.properties ${" + ref.group(1) + "}");
                }
            }
            for (Class<?> mapping : ConfigMappings.find(root)) {
                ConfigMappings.keys(mapping).forEach((key, type) -> {
                    String env = envName(key);
                    if (key.contains("*")) {
                        keys.patterns.put(Pattern.compile(Pattern.quote(env).replace("*", "\\E[A-Z0-9_]+\\Q")), mapping.getSimpleName());
                    } else {
                        keys.exact.put(env, "@ConfigMapping " + mapping.getSimpleName());
                    }
                    if (type.isEnum()) {
                        Set<String> constants = new TreeSet<>();
                        for (Object c : type.getEnumConstants()) {
                            constants.add(((Enum<?>) c).name().toUpperCase().replace('-', '_'));
                        }
                        keys.enumValues.put(env, constants);
                    }
                });
            }
            keys.loadQuarkusExtensionMetadata();
            return keys;
        }

        /**
         * Each Quarkus extension jar on the classpath describes its configuration (property, environment
         * variable, phase) in META-INF/quarkus-config-doc/quarkus-config-model.json; that is what
         * {@code QUARKUS_*} variables are checked against.
         */
        private void loadQuarkusExtensionMetadata() throws IOException {
            var resources = Thread.currentThread().getContextClassLoader()
                    .getResources("META-INF/quarkus-config-doc/quarkus-config-model.json");
            int roots = 0;
            while (resources.hasMoreElements()) {
                try (InputStream in = resources.nextElement().openStream()) {
                    for (JsonNode root : JSON.readTree(in).path("configRoots")) {
                        collect(root.path("items"));
                        roots++;
                    }
                }
            }
            assertThat(roots).as("Quarkus config metadata on the test classpath").isPositive();
        }

        private void collect(JsonNode items) {
            for (JsonNode item : items) {
                collect(item.path("items"));
                List<JsonNode> paths = new ArrayList<>();
                if (item.has("path") && item.path("path").isObject()) {
                    paths.add(item.path("path"));
                }
                item.path("additionalPaths").forEach(paths::add);
                for (JsonNode path : paths) {
                    String property = path.path("property").asText();
                    String env = path.path("environmentVariable").asText();
                    if (property.contains("\"")) {
                        // named map entries: quarkus.redis."client-name".hosts -> QUARKUS_REDIS__CLIENT_NAME__HOSTS
                        String regex = Pattern.quote(envName(property.replaceAll("\"[^\"]*\"", "*")))
                                .replace("*", "\\E_[A-Z0-9_]+_\\Q");
                        patterns.put(Pattern.compile(regex), "Quarkus " + property);
                    } else if (!env.isEmpty()) {
                        exact.put(env, "Quarkus " + property);
                    }
                    if ("BUILD_TIME".equals(item.path("phase").asText()) || "BUILD_AND_RUN_TIME_FIXED".equals(item.path("phase").asText())) {
                        buildTime.put(env, item.path("phase").asText());
                    }
                }
            }
        }

        Optional<String> check(String envName, Optional<String> value) {
            if (buildTime.containsKey(envName)) {
                return Optional.of(envName + " is fixed at build time (" + buildTime.get(envName) + "); setting it at run time has no effect");
            }
            boolean known = exact.containsKey(envName) || patterns.keySet().stream().anyMatch(p -> p.matcher(envName).matches());
            if (!known) {
                return Optional.of(envName + " maps to no key in application.properties, the @ConfigMapping interfaces "
                        + "under src/main/java, or the Quarkus extensions on the classpath");
            }
            Set<String> allowed = enumValues.get(envName);
            if (allowed != null && value.isPresent() && !allowed.contains(value.get().toUpperCase().replace('-', '_'))) {
                return Optional.of(envName + "=" + value.get() + " is not one of " + allowed);
            }
            return Optional.empty();
        }

        /** SmallRye's environment-variable form of a property name: non-alphanumerics become '_', upper case. */
        static String envName(String property) {
            StringBuilder sb = new StringBuilder(property.length());
            for (char c : property.toCharArray()) {
                sb.append(Character.isLetterOrDigit(c) || c == '*' ? Character.toUpperCase(c) : '_');
            }
            return sb.toString();
        }
    }

    /** Finds the project's @ConfigMapping interfaces in src/main/java and lists their keys by reflection. */
    static final class ConfigMappings {
        private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+);", Pattern.MULTILINE);

        static List<Class<?>> find(Path root) throws Exception {
            List<Class<?>> out = new ArrayList<>();
            Path main = root.resolve("src/main/java");
            try (Stream<Path> files = Files.walk(main)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    String src = Files.readString(f, StandardCharsets.UTF_8);
                    if (!src.contains("@ConfigMapping")) {
                        continue;
                    }
                    Matcher pkg = PACKAGE.matcher(src);
                    String simple = f.getFileName().toString().replace(".java", "");
                    collectMappings(Class.forName((pkg.find() ? pkg.group(1) + "." : "") + simple), out);
                }
            }
            assertThat(out).as("@ConfigMapping interfaces under src/main/java").isNotEmpty();
            return out;
        }

        /** The class itself and its nested types, wherever they carry @ConfigMapping (a mention in a comment does not count). */
        private static void collectMappings(Class<?> type, List<Class<?>> out) {
            if (type.isAnnotationPresent(io.smallrye.config.ConfigMapping.class)) {
                out.add(type);
            }
            for (Class<?> nested : type.getDeclaredClasses()) {
                collectMappings(nested, out);
            }
        }

        /** key -> leaf type ("*" stands for a map key or list index). */
        static Map<String, Class<?>> keys(Class<?> mapping) {
            var annotation = mapping.getAnnotation(io.smallrye.config.ConfigMapping.class);
            Map<String, Class<?>> out = new LinkedHashMap<>();
            walk(mapping, annotation.prefix(), annotation.namingStrategy(), out, new LinkedHashSet<>());
            return out;
        }

        private static void walk(Class<?> type, String prefix, io.smallrye.config.ConfigMapping.NamingStrategy naming,
                                 Map<String, Class<?>> out, Set<Class<?>> path) {
            if (!path.add(type)) {
                return; // recursive groups
            }
            for (var m : type.getMethods()) {
                if (m.getParameterCount() > 0 || m.isDefault() || java.lang.reflect.Modifier.isStatic(m.getModifiers())
                        || m.getDeclaringClass() == Object.class || m.getName().equals("toString")) {
                    continue;
                }
                String segment;
                if (m.isAnnotationPresent(io.smallrye.config.WithParentName.class)) {
                    segment = null;
                } else if (m.isAnnotationPresent(io.smallrye.config.WithName.class)) {
                    segment = m.getAnnotation(io.smallrye.config.WithName.class).value();
                } else {
                    segment = naming.apply(m.getName());
                }
                String key = segment == null ? prefix : (prefix.isEmpty() ? segment : prefix + "." + segment);
                java.lang.reflect.Type generic = m.getGenericReturnType();
                Class<?> raw = m.getReturnType();
                if (raw == Optional.class || raw == List.class || raw == Set.class || raw == Map.class) {
                    var args = ((java.lang.reflect.ParameterizedType) generic).getActualTypeArguments();
                    java.lang.reflect.Type inner = args[args.length - 1];
                    Class<?> innerRaw = inner instanceof Class<?> c ? c
                            : (Class<?>) ((java.lang.reflect.ParameterizedType) inner).getRawType();
                    if (raw == Map.class) {
                        key = key + ".*";
                    } else if ((raw == List.class || raw == Set.class) && isGroup(innerRaw)) {
                        key = key + "[*]";
                    }
                    raw = innerRaw;
                }
                if (isGroup(raw)) {
                    walk(raw, key, naming, out, path);
                } else {
                    out.put(key, raw);
                }
            }
            path.remove(type);
        }

        private static boolean isGroup(Class<?> type) {
            return type.isInterface() && !type.getName().startsWith("java.");
        }
    }

    /** Just enough PromQL to list the metric names a query selects. */
    static final class PromQl {
        private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
                "bool", "and", "or", "unless", "offset", "inf", "nan");

        static Set<String> metricNames(String expr) {
            String s = expr.replaceAll("label_values\\(\\s*([^,)]+),[^)]*\\)", "$1")   // Grafana: label_values(metric, label)
                    .replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"")           // string literals
                    .replaceAll("\\{[^}]*}", " ")                                    // label matchers
                    .replaceAll("\\[[^]]*]", " ")                                    // range selectors
                    .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " "); // label lists
            Set<String> names = new TreeSet<>();
            Matcher m = Pattern.compile("\\b([a-zA-Z_:][a-zA-Z0-9_:]*)\\b(\\s*\\()?").matcher(s);
            while (m.find()) {
                String name = m.group(1);
                boolean function = m.group(2) != null;
                if (!function && !KEYWORDS.contains(name.toLowerCase())) {
                    names.add(name);
                }
            }
            return names;
        }
    }

    /** Meter names declared in the main sources, and their Prometheus names (Micrometer's naming convention). */
    static final class MeterNames {
        /** Families Quarkus' Micrometer binders register by themselves (HTTP server, JVM, process, system). */
        private static final List<String> BUILT_IN_PREFIXES = List.of("http_server_requests_seconds", "jvm_", "process_", "system_");
        /** Series Prometheus itself adds to every scrape target. */
        private static final Set<String> PROMETHEUS_SERIES = Set.of("up");
        private static final List<String> SUFFIXES = List.of("_seconds_bucket", "_seconds_count", "_seconds_sum", "_seconds_max",
                "_seconds", "_total", "_bucket", "_count", "_sum", "_max", "");

        static Set<String> declaredIn(String sources) {
            Set<String> names = new TreeSet<>();
            Matcher m = Pattern.compile("\"(ranker[._][a-z0-9_.]+)\"").matcher(sources);
            while (m.find()) {
                names.add(m.group(1).replace('.', '_'));
            }
            return names;
        }

        static boolean isExported(String metric, Set<String> declared) {
            if (PROMETHEUS_SERIES.contains(metric)) {
                return true;
            }
            if (!metric.startsWith("ranker_")) {
                return BUILT_IN_PREFIXES.stream().anyMatch(metric::startsWith);
            }
            for (String suffix : SUFFIXES) {
                if (metric.endsWith(suffix)) {
                    String base = metric.substring(0, metric.length() - suffix.length());
                    // a Timer "ranker.stage" is exported as ranker_stage_seconds_*; "ranker.stage.seconds" as well
                    if (declared.contains(base) || declared.contains(base + "_seconds") || declared.contains(base + "_total")) {
                        return true;
                    }
                }
            }
            return false;
        }
    }
}
