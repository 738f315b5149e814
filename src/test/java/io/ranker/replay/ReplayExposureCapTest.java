package io.ranker.replay;

import io.ranker.logging.LogEntry;
import io.ranker.logging.LogReader;
import io.ranker.logging.ImpressionRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lists served under a binding per-item exposure cap: the candidates the explorer kept out are logged with the
 * impression, and replay keeps them out too, so it reproduces every list (before they were logged, it sampled
 * from a larger pool than serving had and changed the lists of capped requests).
 */
class ReplayExposureCapTest {

    @Test
    void listsServedUnderABindingExposureCapAreReproducedExactly(@TempDir Path root) throws Exception {
        ServedLog served = new ServedLog(root, ServedLog.POLICY, 0.08);
        served.serve(1500, 3, 1.0);

        List<ImpressionRecord> records;
        try (var s = LogReader.of(served.sources().logDirs()).stream()) {
            records = s.filter(LogEntry::isImpression).map(LogEntry::impression).toList();
        }
        long capped = records.stream().filter(r -> !r.exposureCapped().isEmpty()).count();
        assertThat(capped).as("requests served with over-exposed candidates kept out").isGreaterThan(100);
        assertThat(records.stream().filter(r -> !r.exposureCapped().isEmpty()).findFirst().orElseThrow().exposureCapped())
                .isSorted().doesNotHaveDuplicates();

        ReplayReport report = new ReplayRun(served.sources(), ReplayRequest.of("feed")).run(null);
        assertThat(report.reproducedShare()).isEqualTo(1.0);
        assertThat(report.shareChanged()).isEqualTo(0.0);
    }
}
