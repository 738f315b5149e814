package io.ranker.replay;

import io.ranker.explore.PositionMarginals;
import io.ranker.logging.ImpressionRecord;
import io.ranker.replay.ope.ImpressionRecordSamples;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class MarginalsViewTest {

    @Test
    void lookupByIndexAnswersWhatLookupByIdAnswers() {
        Random r = new Random(2);
        List<String> ids = List.of("a", "b", "c", "b", "d"); // a repeated id resolves to its first column either way
        double[][] p = new double[3][ids.size()];
        for (double[] row : p) for (int c = 0; c < row.length; c++) row[c] = r.nextDouble();
        MarginalsView view = new MarginalsView(new PositionMarginals(ids, p, true, 0, 0));
        ImpressionRecord shown = new ImpressionRecord("i", 0, "s", null, null, null, 0, null, null, null, false, 0,
                List.of(new ImpressionRecord.ShownItem("c", 2, 0, 0, 0, 0.25, 1, Map.of()),
                        new ImpressionRecord.ShownItem("a", 1, 0, 0, 0, 0.5, 1, Map.of()),
                        new ImpressionRecord.ShownItem("c", 2, 0, 0, 0, 0.125, 1, Map.of())), null, null, null, null);
        for (ImpressionRecord override : new ImpressionRecord[]{null, shown}) {
            ImpressionRecordSamples.TargetDistribution t = view.asTarget(override, null);
            for (int i = 0; i < ids.size(); i++) {
                for (int pos = 0; pos <= 4; pos++) {
                    assertThat(t.marginalAt(i, ids.get(i), pos)).as(ids.get(i) + "@" + pos).isEqualTo(t.marginal(ids.get(i), pos));
                }
            }
        }
        ImpressionRecordSamples.TargetDistribution t = view.asTarget(null, null);
        assertThat(t.marginalAt(3, "b", 2)).isEqualTo(p[1][1]);
        assertThat(view.asTarget(shown, null).marginalAt(2, "c", 2)).isEqualTo(0.125); // the last one logged, as by id
        assertThat(view.asTarget(shown, null).marginalAt(2, "c", 1)).isEqualTo(p[0][2]);
    }
}
