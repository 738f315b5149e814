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
        assertThat(Files.readString(root.resolve("report/replay.md"))).startsWith("# Replay of surface `feed`");
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
                "--surface", "feed", "--model", "nope123", "--out", root.resolve("r").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("unknown model version 'nope123'");
        assertThat(run(out, err, "--data-dir", root.resolve("empty").toString(), "--surface", "feed")).isEqualTo(2);
    }

    @Test
    void helpIsListedInTheCommandTree() {
        StringWriter out = new StringWriter();
        int code = new CommandLine(new RankerCli()).setOut(new PrintWriter(out, true)).execute("replay", "--help");
        assertThat(code).isZero();
        assertThat(out.toString()).contains("--surface").contains("--model-file").contains("--policy").contains("--out");
    }
}
