package io.ranker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ranker.logging.FeedbackEvent;
import io.ranker.logging.ImpressionRecord;
import io.ranker.logging.LogConfig;
import io.ranker.logging.SegmentFile;
import io.ranker.logging.SegmentImpressionLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LogsCommandTest {
    @TempDir
    Path dataDir;

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new RankerCli()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private void writeLog(int impressions) {
        try (SegmentImpressionLog log = new SegmentImpressionLog(LogConfig.defaults(dataDir.resolve("logs")).withCompress(false))) {
            long now = System.currentTimeMillis();
            for (int i = 0; i < impressions; i++) {
                log.append(new ImpressionRecord("imp-" + i, now + i, "feed", "u1", null, Map.of(), 42L + i,
                        Map.of("model", "m1"), null, "none", false, 0,
                        List.of(new ImpressionRecord.ShownItem("a", 1, 1.0, 0.5, 0.5, 1.0, 1.0, Map.of())),
                        null, null, Map.of(), List.of()));
            }
            log.append(new FeedbackEvent("imp-0", "a", "click", null, now + 1000, "ev-1", now + 1000));
        }
    }

    @Test
    void dumpPrintsOneJsonObjectPerRecordWithItsKind() throws Exception {
        writeLog(30);
        Run r = run("logs", "dump", "--data-dir", dataDir.toString());
        assertThat(r.exit()).isZero();
        List<JsonNode> lines = new ArrayList<>();
        ObjectMapper m = new ObjectMapper();
        for (String line : r.out().split("\n")) lines.add(m.readTree(line));
        assertThat(lines).hasSize(31);
        assertThat(lines.get(0).get("kind").asText()).isEqualTo("impression");
        assertThat(lines.get(0).get("impressionId").asText()).isEqualTo("imp-0");
        assertThat(lines.get(0).get("items").get(0).get("propensity").asDouble()).isEqualTo(1.0);
        assertThat(lines.get(30).get("kind").asText()).isEqualTo("feedback");
        assertThat(lines.get(30).get("impressionId").asText()).isEqualTo("imp-0");
        assertThat(run("logs", "dump", "--data-dir", dataDir.toString(), "--kind", "feedback").out().lines().count()).isEqualTo(1);
    }

    @Test
    void verifyPassesOnACleanLogAndReportsATornRecordWithSegmentAndOffset() throws Exception {
        writeLog(30);
        Run clean = run("logs", "verify", "--data-dir", dataDir.toString());
        assertThat(clean.exit()).isZero();
        assertThat(clean.out()).contains("31 valid records in 1 segments of 1 replica(s); 0 torn, 0 corrupt");

        Path seg = SegmentFile.list(dataDir.resolve("logs")).get(0).path();
        long size = Files.size(seg);
        try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
            ch.truncate(size - 20); // cut the last record (the feedback) mid-payload
        }
        // a new log starts over the damaged directory and appends after it
        try (SegmentImpressionLog log = new SegmentImpressionLog(LogConfig.defaults(dataDir.resolve("logs")))) {
            assertThat(log.healthy()).isTrue();
            assertThat(log.append(new FeedbackEvent("imp-1", "a", "click", null, 1, null, 1))).isTrue();
        }
        Run torn = run("logs", "verify", "--data-dir", dataDir.toString());
        assertThat(torn.exit()).isEqualTo(1);
        assertThat(torn.out()).containsPattern("TORN " + seg.getFileName() + "(\\.gz)? @\\d+ ");
        assertThat(torn.out()).contains("31 valid records in 2 segments of 1 replica(s); 1 torn, 0 corrupt");
        Run stats = run("logs", "stats", "--data-dir", dataDir.toString());
        assertThat(stats.exit()).isZero();
        assertThat(stats.out()).contains("impression records: 30").contains("feedback records: 1")
                .contains("damaged: 1 torn, 0 corrupt");
    }

    @Test
    void missingDirectoryIsAClearErrorNotAStackTrace() {
        Run r = run("logs", "verify", "--data-dir", dataDir.resolve("nope").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("no impression log at").contains("does not exist");
        Run badTime = run("logs", "dump", "--data-dir", dataDir.toString(), "--from", "yesterday");
        assertThat(badTime.exit()).isEqualTo(2);
    }
}
