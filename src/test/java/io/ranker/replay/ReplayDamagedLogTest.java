package io.ranker.replay;

import io.ranker.logging.ImpressionRecord;
import io.ranker.logging.LogConfig;
import io.ranker.logging.SegmentImpressionLog;
import io.ranker.replay.ope.InvalidPropensityException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReplayDamagedLogTest {

    /** Every segment as plain bytes (decompressed), gz copies removed. */
    private static Path onlySegment(Path logs) throws Exception {
        List<Path> files;
        try (var s = Files.list(logs)) {
            files = s.filter(p -> p.getFileName().toString().startsWith("segment-")).sorted().toList();
        }
        assertThat(files).hasSize(1);
        Path f = files.get(0);
        if (f.toString().endsWith(".gz")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (InputStream in = new GZIPInputStream(Files.newInputStream(f))) {
                in.transferTo(out);
            }
            Path plain = f.resolveSibling(f.getFileName().toString().replace(".gz", ""));
            Files.write(plain, out.toByteArray());
            Files.delete(f);
            return plain;
        }
        return f;
    }

    @Test
    @SuppressWarnings("unchecked")
    void tornAndCorruptRecordsAreSkippedAndCounted(@TempDir Path root) throws Exception {
        ServedLog served = new ServedLog(root);
        served.serve(60, 3, 1.0);
        Path segment = onlySegment(served.dataDir.resolve("logs"));
        byte[] bytes = Files.readAllBytes(segment);
        bytes[bytes.length / 2] ^= 0x5A;              // a corrupt record in the middle
        byte[] torn = java.util.Arrays.copyOf(bytes, bytes.length - 25); // the last record cut short
        Files.write(segment, torn);

        ReplayReport report = new ReplayRun(served.sources(), ReplayRequest.of("feed")).run(null);
        Map<String, Object> input = (Map<String, Object>) report.json().get("input");
        assertThat((long) input.get("tornRecordsSkipped") + (long) input.get("corruptStretchesSkipped")).isGreaterThanOrEqualTo(2);
        assertThat((long) input.get("impressionsReplayed")).isBetween(50L, 59L);
        assertThat(report.reproducedShare()).isEqualTo(1.0);
        assertThat((List<String>) report.json().get("warnings")).anyMatch(w -> w.contains("damaged log stretches"));
    }

    @Test
    void excludeSeenRulesSeeTheHistoryRebuiltFromTheLog(@TempDir Path root) throws Exception {
        ServedLog served = new ServedLog(root, ServedLog.SEEN_POLICY);
        served.serve(400, 5, 1.0); // 50 users: each sees about 8 lists, so the rule removes items
        ReplayReport report = new ReplayRun(served.sources(), ReplayRequest.of("feed")).run(null);
        assertThat(report.reproducedShare()).isEqualTo(1.0);
        // without the rule the lists differ: the history mattered
        ReplayReport without = new ReplayRun(served.sources(), ReplayRequest.of("feed").withPolicy(ServedLog.POLICY)).run(null);
        assertThat(without.shareChanged()).isGreaterThan(0.3);
    }

    @Test
    void aLoggedPropensityOutsideTheUnitIntervalIsRefusedNamingTheRecord(@TempDir Path root) throws Exception {
        ServedLog served = new ServedLog(root);
        served.serve(5, 4, 1.0);
        // copy one record with a broken propensity into a second log directory, behind a valid one
        Path logs = root.resolve("bad-logs");
        List<ImpressionRecord> records;
        try (var s = io.ranker.logging.LogReader.of(served.dataDir.resolve("logs")).stream()) {
            records = s.filter(e -> e.isImpression()).map(e -> e.impression()).toList();
        }
        ImpressionRecord bad = records.get(1);
        List<ImpressionRecord.ShownItem> items = new java.util.ArrayList<>(bad.items());
        ImpressionRecord.ShownItem s0 = items.get(3);
        items.set(3, new ImpressionRecord.ShownItem(s0.id(), s0.position(), s0.retrievalScore(), s0.modelScore(), s0.score(),
                0.0, s0.choiceProb(), s0.shadowScores()));
        ImpressionRecord broken = new ImpressionRecord(bad.impressionId(), bad.timestamp(), bad.surface(), bad.userId(),
                bad.query(), bad.context(), bad.seed(), bad.versions(), bad.experimentArm(), bad.explorer(), bad.explored(),
                bad.mcSamples(), items, bad.featureNames(), bad.candidates(), bad.featureHealth(), bad.degraded(), bad.mcStdError());
        try (SegmentImpressionLog log = new SegmentImpressionLog(LogConfig.defaults(logs))) {
            log.append(records.get(0));
            log.append(broken);
        }
        assertThatThrownBy(() -> new ReplayRun(served.sources().withLogDir(logs), ReplayRequest.of("feed")).run(null))
                .isInstanceOf(InvalidPropensityException.class)
                .hasMessageContaining(bad.impressionId())
                .hasMessageContaining("position 4");
    }
}
