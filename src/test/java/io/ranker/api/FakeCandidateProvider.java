package io.ranker.api;

import io.ranker.core.Item;
import io.ranker.core.Candidate;
import io.ranker.core.RankRequest;
import io.ranker.policy.CandidateProvider;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A fixed, scored candidate list standing in for the ranking pipeline in policy endpoint tests. */
@Alternative
@Priority(1)
@ApplicationScoped
public class FakeCandidateProvider implements CandidateProvider {
    @Override
    public List<Candidate> scoredCandidates(RankRequest request) {
        List<Candidate> out = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Map<String, Object> attrs = Map.of("brand", "brand" + (i % 3), "category", "cat" + (i % 4),
                    "in_stock", i % 5 != 4, "sponsored", i == 15, "rating", 2.0 + (i % 4), "created_at", 1.7e12);
            Candidate c = new Candidate("p" + i, new Item("p" + i, "item " + i, "", attrs, null));
            c.setModelScore(1.0 - i * 0.01);
            c.setScore(1.0 - i * 0.01);
            out.add(c);
        }
        return out;
    }
}
