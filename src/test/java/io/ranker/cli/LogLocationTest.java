package io.ranker.cli;

import io.ranker.logging.ImpressionRecord;
import io.ranker.logging.LogConfig;
import io.ranker.logging.SegmentImpressionLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every command that reads the impression log refuses a log location that is missing or holds no segment with exit
 * code 2 and a message naming it: a mistyped path or a root holding only empty replica directories must not read as
 * "no traffic".
 */
class LogLocationTest {
    @TempDir
    Path dir;

    @Test
    void missingAndEmptyLocationsAreExit2WithTheLocationNamed() throws Exception {
        Path missing = dir.resolve("no-such-logs");
        Path empty = Files.createDirectories(dir.resolve("empty-root/replica-a")).getParent(); // a replica dir, no segment
        for (Path location : new Path[]{missing, empty}) {
            String why = location == missing ? "does not exist" : "no segment-";
            for (String[] args : new String[][]{
                    {"logs", "stats", "--log-dir", location.toString()},
                    {"logs", "dump", "--log-dir", location.toString()},
                    {"logs", "verify", "--log-dir", location.toString()},
                    {"replay", "--surface", "feed", "--data-dir", dir.toString(), "--log-dir", location.toString(),
                            "--out", dir.resolve("report").toString()},
                    {"train", "--data-dir", dir.toString(), "--log-dir", location.toString(), "--surface", "feed",
                            "--out", dir.resolve("model").toString()}}) {
                CommandsTest.Run r = CommandsTest.run(args);
                assertThat(r.code()).as(String.join(" ", args)).isEqualTo(2);
                assertThat(r.err()).as(String.join(" ", args)).contains("no impression log at " + location.toAbsolutePath())
                        .contains(why);
            }
        }
    }

    @Test
    void oneMissingLocationAmongSeveralIsStillAnError() throws Exception {
        Path root = dir.resolve("root");
        try (SegmentImpressionLog log = new SegmentImpressionLog(LogConfig.forReplica(root, "a"))) {
            log.append(new ImpressionRecord("imp-1", System.currentTimeMillis(), "feed", "u1", null, Map.of(), 42L,
                    Map.of("model", "m1"), null, "none", false, 0,
                    List.of(new ImpressionRecord.ShownItem("a", 1, 1.0, 0.5, 0.5, 1.0, 1.0, Map.of())),
                    null, null, Map.of(), List.of()));
        }
        assertThat(CommandsTest.run("logs", "stats", "--log-dir", root.toString()).code()).isZero();
        Path missing = dir.resolve("typo");
        CommandsTest.Run r = CommandsTest.run("logs", "stats", "--log-dir", root.toString(), "--log-dir", missing.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("no impression log at " + missing.toAbsolutePath());
    }
}
