package io.ranker.policy;

import io.ranker.core.PolicyStage;
import io.ranker.core.Item;
import io.ranker.core.Candidate;
import io.ranker.core.RankRequest;
import io.ranker.core.RankingContext;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A search filtered to one brand, whose sponsored items fill the brand's cap, must not come back empty. */
class CapsAndSlotsTest {
    @Test
    void slottedItemsMoveUpInsteadOfEmptyingTheList() {
        CompiledPolicy policy = PolicyFixtures.compile("""
                rules:
                  - {id: sponsored-slots, type: slot, when: {attribute: sponsored, eq: true}, positions: [3, 8]}
                  - {id: brand-variety, type: cap, attribute: brand, max: 2, topK: 10}
                """);
        List<Candidate> cands = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Candidate c = new Candidate("n" + i, new Item("n" + i, "t", "", Map.of("brand", "Northpeak", "sponsored", i == 4 || i == 9), null));
            c.setScore(20 - i);
            cands.add(c);
        }
        RankingContext ctx = new RankingContext(new RankRequest("search", "u", "jacket", null, null, null, 10, false, null), "i", 1);
        PolicyStage.PolicyOutcome out = policy.apply(ctx, cands);
        assertThat(out.ranked()).extracting(Candidate::id).containsExactly("n4", "n9");
        assertThat(out.ranked().size() + out.removed().size()).isEqualTo(20);
    }
}
