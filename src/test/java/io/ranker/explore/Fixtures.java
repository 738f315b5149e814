package io.ranker.explore;

import io.ranker.core.Item;
import io.ranker.core.Candidate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

final class Fixtures {
    private Fixtures() {
    }

    /** Candidates c0..c(n-1) in ranked order, descending scores, brand from {@code brands} (cycled). */
    static List<Candidate> candidates(int n, String... brands) {
        List<Candidate> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String brand = brands.length == 0 ? "b" + i : brands[i % brands.length];
            Item item = new Item("c" + i, "title " + i, "", Map.of("brand", brand, "tags", List.of("t" + (i % 3))), null);
            Candidate c = new Candidate("c" + i, item);
            c.setScore(2.0 - 0.17 * i + 0.05 * Math.sin(i));
            out.add(c);
        }
        return out;
    }

    static List<String> ids(List<Candidate> list) {
        return list.stream().map(Candidate::id).toList();
    }
}
