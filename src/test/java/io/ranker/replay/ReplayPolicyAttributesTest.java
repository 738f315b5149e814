package io.ranker.replay;

import io.ranker.logging.ImpressionRecord;
import io.ranker.logging.LogConfig;
import io.ranker.logging.LogEntry;
import io.ranker.logging.LogReader;
import io.ranker.logging.SegmentImpressionLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The attributes logged with candidate sets are the ones the live rules read, not a fixed list: a rule on an attribute
 * nobody anticipated ({@code seller}, absent from the service's old hard-coded list and from the configured extras)
 * is served, logged and replayed exactly.
 */
class ReplayPolicyAttributesTest {
    static final String SELLER_POLICY = ServedLog.POLICY + """
              - id: drop-seller-5
                type: filter
                when: {attribute: seller, eq: seller-5}
              - id: bury-seller-3
                type: bury
                when: {attribute: seller, eq: seller-3}
                multiply: 0.5
            """;

    @Test
    void aRuleOnANewAttributeIsLoggedAndReplayedExactly(@TempDir Path root) throws Exception {
        ServedLog served = new ServedLog(root, SELLER_POLICY);
        served.serve(100, 8, 1.0);
        List<ImpressionRecord> records = impressions(served.sources().logDirs());
        assertThat(records).hasSize(100).allSatisfy(r -> assertThat(r.candidates())
                .allSatisfy(c -> assertThat(c.attributes()).containsKey("seller")));

        ReplayReport report = new ReplayRun(served.sources(), ReplayRequest.of("feed")).run(null);
        assertThat(report.reproducedShare()).isEqualTo(1.0);

        // negative control: the same log without the attribute (as the old fixed list logged it) does not reproduce,
        // so the rules on it shaped the lists
        Path stripped = root.resolve("stripped-logs");
        try (SegmentImpressionLog log = new SegmentImpressionLog(LogConfig.defaults(stripped))) {
            for (ImpressionRecord r : records) log.append(withoutAttribute(r, "seller"));
        }
        ReplayReport blind = new ReplayRun(served.sources().withLogDir(stripped), ReplayRequest.of("feed")).run(null);
        assertThat(blind.reproducedShare()).isLessThan(0.7);
    }

    static List<ImpressionRecord> impressions(List<Path> logDirs) {
        try (var s = LogReader.of(logDirs).stream()) {
            return s.filter(LogEntry::isImpression).map(LogEntry::impression).toList();
        }
    }

    static ImpressionRecord withoutAttribute(ImpressionRecord r, String attribute) {
        List<ImpressionRecord.LoggedCandidate> candidates = r.candidates().stream().map(c -> {
            Map<String, Object> attrs = new HashMap<>(c.attributes());
            attrs.remove(attribute);
            return new ImpressionRecord.LoggedCandidate(c.id(), c.retrievalScore(), c.sources(), c.features(), attrs);
        }).toList();
        return new ImpressionRecord(r.impressionId(), r.timestamp(), r.surface(), r.userId(), r.query(), r.context(),
                r.seed(), r.versions(), r.experimentArm(), r.explorer(), r.explored(), r.mcSamples(), r.items(),
                r.featureNames(), candidates, r.featureHealth(), r.degraded(), r.mcStdError(), r.exposureCapped());
    }
}
