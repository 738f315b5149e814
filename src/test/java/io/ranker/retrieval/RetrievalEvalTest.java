package io.ranker.retrieval;

import io.ranker.retrieval.eval.Cranfield;
import io.ranker.retrieval.eval.RetrievalMetrics;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RetrievalEvalTest {
    @Test
    void ndcgHandComputed() {
        // gains: rel 2 -> 3, rel 1 -> 1; ranked [x(1), y(0), z(2)]
        double dcg = 1 / 1.0 + 0 + 3 / 2.0;
        double idcg = 3 / 1.0 + 1 / (Math.log(3) / Math.log(2));
        assertThat(RetrievalMetrics.ndcg(List.of("x", "y", "z"), Map.of("x", 1, "z", 2), 10)).isCloseTo(dcg / idcg, within(1e-12));
        assertThat(RetrievalMetrics.ndcg(List.of("z", "x"), Map.of("x", 1, "z", 2), 10)).isCloseTo(1.0, within(1e-12));
        assertThat(RetrievalMetrics.ndcg(List.of("a"), Map.of(), 10)).isNaN();
    }

    @Test
    void recallAndOverlap() {
        assertThat(RetrievalMetrics.recall(List.of("a", "b", "c"), Set.of("a", "c", "d", "e"), 2)).isEqualTo(0.25);
        assertThat(RetrievalMetrics.overlap(new int[]{1, 2, 3}, new int[]{3, 4, 1})).isCloseTo(2 / 3.0, within(1e-12));
    }

    @Test
    void cranfieldRecordsWithWindowsLineEndingsAndGradeRemap() {
        var recs = Cranfield.records(".I 001\r\n.T\r\nflow of air\r\n.W\r\nsome text\r\nmore\r\n.I 2\r\n.W\r\nsecond\r\n");
        assertThat(recs).hasSize(2);
        assertThat(recs.get(0)).containsEntry('I', "1").containsEntry('T', "flow of air").containsEntry('W', "some text more");
        assertThat(recs.get(1)).containsEntry('I', "2").containsEntry('W', "second");
        assertThat(Cranfield.relevance(1)).isEqualTo(4);
        assertThat(Cranfield.relevance(4)).isEqualTo(1);
        assertThat(Cranfield.relevance(-1)).isZero();
    }
}
