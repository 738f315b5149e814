package io.ranker.replay;

import io.ranker.logging.LogEntry;
import io.ranker.logging.LogReader;
import io.ranker.core.Candidate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Scoring the candidate sets of several impressions in one model call changes nothing the replay reports. */
class ReplayScoreAheadTest {

    @Test
    void oneModelCallForManyCandidateSetsGivesTheSameScoresBitForBit(@TempDir Path root) throws Exception {
        ServedLog served = new ServedLog(root);
        Random r = new Random(4);
        List<List<Candidate>> sets = new ArrayList<>();
        List<Candidate> all = new ArrayList<>();
        for (int i = 0; i < ReplayRun.SCORE_AHEAD; i++) {
            List<Candidate> set = served.candidates(r);
            sets.add(set);
            all.addAll(set);
        }
        double[] batch = served.scorer.score(null, all);
        int at = 0;
        for (List<Candidate> set : sets) {
            double[] one = served.scorer.score(null, set);
            for (double s : one) assertThat(Double.doubleToRawLongBits(batch[at++])).isEqualTo(Double.doubleToRawLongBits(s));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void stoppingInsideAWindowCountsOnlyWhatWasProcessed(@TempDir Path root) throws Exception {
        ServedLog served = new ServedLog(root);
        served.serve(100, 3, 1.0);
        int max = ReplayRun.SCORE_AHEAD + 13; // stops inside the second window
        ReplayReport report = new ReplayRun(served.sources(), ReplayRequest.of("feed").withMaxImpressions(max)).run(null);
        Map<String, Object> input = (Map<String, Object>) report.json().get("input");
        long records = 0, impressions = 0;
        try (var s = LogReader.of(served.sources().logDirs()).stream()) {
            Iterator<LogEntry> it = s.iterator();
            while (impressions < max) {
                LogEntry e = it.next();
                records++;
                if (e.isImpression()) impressions++;
            }
        }
        assertThat(input.get("impressionsReplayed")).isEqualTo((long) max);
        assertThat(input.get("impressionsRead")).isEqualTo((long) max);
        assertThat(input.get("recordsRead")).isEqualTo(records);
        assertThat(report.reproducedShare()).isEqualTo(1.0);
    }
}
