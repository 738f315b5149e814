package io.ranker.replay;

import io.ranker.cli.RankerCli;
import io.ranker.cli.ReplayCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ReplayCommandTest {

    private static int run(StringWriter out, StringWriter err, String... args) {
        return new CommandLine(new ReplayCommand()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
    }

    @Test
    void writesJsonAndMarkdownAndPrintsASummaryWithProgress(@TempDir Path root) throws Exception {
        ServedLog served = new ServedLog(root);
        served.serve(300, 9, 1.0);
        Path policy = root.resolve("capped.yaml");
        Files.writeString(policy, ServedLog.CAPPED_POLICY);
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = run(out, err, "--data-dir", served.dataDir.toString(), "--config-dir", served.configDir.toString(),
                "--surface", "feed", "--policy", policy.toString(), "--from", "2020-01-01T00:00:00Z",
                "--to", "2100-01-01T00:00:00Z", "--progress-every", "100", "--out", root.resolve("report").toString());
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("Replayed 300 impressions of feed").contains("lists changed by the candidate")
                .contains("snips").contains("rips");
        assertThat(err.toString()).contains("replay: 100 / 300 impressions read")
                .containsPattern("replay: 100 / 300 impressions read \\(33%\\), [0-9.]+ s · [0-9.,]+ impressions/s · ETA \\d+");
        String json = Files.readString(root.resolve("report/replay.json"));
        assertThat(json).contains("\"impressionsReplayed\" : 300");
        // the documented report schema (GET /v1/schemas/replay-report) describes this real report, and it is strict
        // enough to notice a renamed field
        ReplayReportSchema.assertValid(json);
        assertThat(ReplayReportSchema.errors(json.replace("\"shareChanged\"", "\"changedShare\""))).isNotEmpty();
        assertThat(ReplayReportSchema.errors(json.replace("\"ci95\"", "\"interval\""))).isNotEmpty();
        String md = Files.readString(root.resolve("report/replay.md"));
        assertThat(md).startsWith("# Replay of surface `feed`");
        // the human outputs lead with one verdict and show the paired interval of the change (issue 19)
        assertThat(md).contains("## Verdict").contains("change 95% CI (paired)").containsPattern("\\*\\*The candidate (is likely better|is likely worse|cannot be told apart)");
        assertThat(md.indexOf("## Verdict")).isLessThan(md.indexOf("| estimator |"));
        assertThat(md).contains("## Position bias from the logging policy's randomisation");
        assertThat(out.toString()).containsPattern("(?m)^The candidate (is likely better|is likely worse|cannot be told apart)")
                .contains("change [paired 95% CI]").contains("left out dm:");
        assertThat(Files.readString(root.resolve("report/replay.html"))).contains("<svg").contains("data-lo=");
        assertThat(out.toString()).contains("replay.html");
    }

    /** The console's unit tests read the dry run from this report (a copy of the one above): it must stay a valid one. */
    @Test
    void theConsoleTestsReportIsValid() throws Exception {
        ReplayReportSchema.assertValid(Files.readString(Path.of("e2e", "fixtures", "replay-report.json")));
    }

    @Test
    void refusesAnUnknownModelVersionAndAMissingLogDirectory(@TempDir Path root) throws Exception {
        ServedLog served = new ServedLog(root);
        served.serve(5, 9, 1.0);
        StringWriter out = new StringWriter(), err = new StringWriter();
        assertThat(run(out, err, "--data-dir", served.dataDir.toString(), "--config-dir", served.configDir.toString(),
                "--surface", "feed", "--model", "nope123", "--out", root.resolve("r").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("unknown model version 'nope123'");
        assertThat(run(out, err, "--data-dir", root.resolve("empty").toString(), "--surface", "feed")).isEqualTo(2);
    }

    /** The checks of publishing and of the dry run: the catalog's attribute names and the surfaces with a pipeline. */
    @Test
    void refusesAMisspelledAttributeAndAnUnknownSurfaceWithExitCode2(@TempDir Path root) throws Exception {
        ServedLog served = new ServedLog(root);
        served.serve(5, 9, 1.0);
        try (io.ranker.catalog.CatalogIndex index = new io.ranker.catalog.CatalogIndex(served.dataDir.resolve("index"), 4,
                "cosine", 1000)) {
            index.upsert(java.util.List.of(new io.ranker.core.Item("p1", "t", "x",
                    java.util.Map.of("category", "coffee", "brand", "Crema", "in_stock", true), null)));
            index.refresh();
        }
        Path typo = root.resolve("typo.yaml");
        Files.writeString(typo, "rules:\n  - {id: b, type: boost, when: {attribute: categroy, eq: coffee}, multiply: 2}\n");
        StringWriter out = new StringWriter(), err = new StringWriter();
        assertThat(run(out, err, "--data-dir", served.dataDir.toString(), "--config-dir", served.configDir.toString(),
                "--surface", "feed", "--policy", typo.toString(), "--out", root.resolve("r").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("unknown attribute 'categroy'");
        assertThat(run(out, err, "--data-dir", served.dataDir.toString(), "--config-dir", served.configDir.toString(),
                "--surface", "feeds", "--out", root.resolve("r").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("unknown surface 'feeds'");
    }

    @Test
    void helpIsListedInTheCommandTree() {
        StringWriter out = new StringWriter();
        int code = new CommandLine(new RankerCli()).setOut(new PrintWriter(out, true)).execute("replay", "--help");
        assertThat(code).isZero();
        assertThat(out.toString()).contains("--surface").contains("--model-file").contains("--policy").contains("--out");
    }
}
