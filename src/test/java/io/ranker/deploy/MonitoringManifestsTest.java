package io.ranker.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The alert rules ({@code deploy/prometheus/ranker-alerts.yml}, the same groups in the PrometheusRule of
 * {@code deploy/k8s/}) and the Grafana dashboard, against each other and against the meters the service
 * exports. promtool checks the rules' syntax and fires each alert on synthetic series ({@code .ci/run}); this
 * test checks what promtool cannot know: that the series the rules select exist, and that an on-call engineer
 * paged by a rule finds its metric on the dashboard, per pod.
 */
class MonitoringManifestsTest {
    private static final Path DEPLOY = Path.of(System.getProperty("user.dir")).resolve("deploy");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern BY_INSTANCE = Pattern.compile("\\bby\\s*\\([^)]*\\binstance\\b");

    private static JsonNode rules;
    private static JsonNode dashboard;
    /** alert name -> expression */
    private static Map<String, String> alerts;

    @BeforeAll
    static void load() throws IOException {
        rules = YAML.readTree(DEPLOY.resolve("prometheus/ranker-alerts.yml").toFile());
        dashboard = JSON.readTree(DEPLOY.resolve("grafana/dashboards/ranker-stages.json").toFile());
        alerts = new LinkedHashMap<>();
        for (JsonNode group : rules.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (rule.has("alert")) {
                    alerts.put(rule.path("alert").asText(), rule.path("expr").asText());
                }
            }
        }
    }

    @Test
    void thePrometheusRuleCarriesExactlyTheRulesFile() throws IOException {
        JsonNode prometheusRule = YAML.readTree(DEPLOY.resolve("k8s/prometheusrule.yaml").toFile());
        assertThat(prometheusRule.path("kind").asText()).isEqualTo("PrometheusRule");
        assertThat(prometheusRule.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(prometheusRule.at("/spec/groups")).as("spec.groups of deploy/k8s/prometheusrule.yaml vs deploy/prometheus/ranker-alerts.yml")
                .isEqualTo(rules.path("groups"));
    }

    @Test
    void everyAlertTheIssueAsksForIsThere() {
        assertThat(alerts.keySet()).contains("RankerLatencyOverBudget", "RankerDegradedResponses", "RankerFeatureStoreBreakerOpen",
                "RankerImpressionLogUnhealthy", "RankerAdmissionRefusals", "RankerStateStale", "RankerCatalogLagging",
                "RankerCatalogBacklog");
        for (JsonNode group : rules.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                String name = rule.path("alert").asText();
                assertThat(rule.at("/labels/severity").asText()).as(name + " severity").isIn("warning", "critical");
                assertThat(rule.at("/annotations/summary").asText()).as(name + " summary").isNotBlank();
                assertThat(rule.at("/annotations/description").asText()).as(name + " description").isNotBlank();
            }
        }
    }

    @Test
    void rulesOnlySelectMetricsTheServiceExports() throws IOException {
        Set<String> declared = DeployManifestsTest.MeterNames.declaredIn(DeployManifestsTest.mainJavaSources());
        List<String> unknown = new ArrayList<>();
        alerts.forEach((alert, expr) -> DeployManifestsTest.PromQl.metricNames(expr).stream()
                .filter(m -> !DeployManifestsTest.MeterNames.isExported(m, declared)).forEach(m -> unknown.add(alert + ": " + m)));
        assertThat(unknown).as("metrics in alert rules that no meter in src/main/java exports").isEmpty();
    }

    @Test
    void theDashboardShowsEveryAlertsMetricPerPod() {
        assertThat(dashboard.at("/templating/list").findValuesAsText("name")).as("dashboard variables").contains("instance");
        List<String> missing = new ArrayList<>();
        alerts.forEach((alert, expr) -> {
            for (String metric : DeployManifestsTest.PromQl.metricNames(expr)) {
                boolean perPod = false;
                for (JsonNode panel : dashboard.path("panels")) {
                    List<String> exprs = panel.findValuesAsText("expr");
                    boolean shows = exprs.stream().anyMatch(e -> DeployManifestsTest.PromQl.metricNames(e).contains(metric));
                    perPod |= shows && exprs.stream().anyMatch(e -> BY_INSTANCE.matcher(e).find());
                }
                if (!perPod) {
                    missing.add(alert + ": " + metric);
                }
            }
        });
        assertThat(missing).as("alert metrics without a per-pod panel (a target grouped `by (instance)`) on the dashboard").isEmpty();
    }

    /**
     * promtool parses every dashboard query (Grafana's variables replaced by what they expand to), so a panel
     * never shows "parse error" on the night it is needed. Skipped where promtool is not installed; .ci/run installs it.
     */
    @Test
    void everyDashboardQueryIsValidPromQl() throws Exception {
        Path promtool = Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .map(d -> Path.of(d, "promtool")).filter(Files::isExecutable).findFirst().orElse(null);
        assumeTrue(promtool != null, "promtool not on PATH (Debian package prometheus)");
        List<String> exprs = new ArrayList<>(dashboard.findValuesAsText("expr"));
        dashboard.at("/templating/list").forEach(v -> exprs.add(v.at("/query/query").asText()
                .replaceAll("label_values\\(\\s*([^,]+),[^)]*\\)", "$1")));
        StringBuilder rulesFile = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        for (int i = 0; i < exprs.size(); i++) {
            String expr = exprs.get(i).replace("$__rate_interval", "1m").replaceAll("\\$(surface|instance|stage)", ".*");
            rulesFile.append("      - record: dashboard:query").append(i).append("\n        expr: ")
                    .append(JSON.writeValueAsString(expr)).append('\n');
        }
        Path file = Files.createTempFile("dashboard-queries", ".yml");
        try {
            Files.writeString(file, rulesFile);
            Process check = new ProcessBuilder(promtool.toString(), "check", "rules", file.toString()).redirectErrorStream(true).start();
            String output = new String(check.getInputStream().readAllBytes());
            assertThat(check.waitFor()).as("promtool check rules on the dashboard's " + exprs.size() + " queries:\n" + output).isZero();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void everyDashboardQueryFollowsThePodSelection() {
        List<String> unfiltered = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (String expr : panel.findValuesAsText("expr")) {
                // the budget is configuration, the same on every pod
                boolean configOnly = DeployManifestsTest.PromQl.metricNames(expr).equals(Set.of("ranker_stage_budget_seconds"));
                if (!configOnly && !expr.contains("instance=~\"$instance\"")) {
                    unfiltered.add(panel.path("title").asText() + ": " + expr);
                }
            }
        }
        assertThat(unfiltered).as("queries that ignore the pod variable").isEmpty();
    }
}
