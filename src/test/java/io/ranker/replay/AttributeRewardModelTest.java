package io.ranker.replay;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The reward model recovers a position-based click model with attribute-level attraction even where the logging
 * policy never shows an item (coffee at position 1), because position and attribute factors are estimated together:
 * the raw click rate of position 1, which holds the logging policy's selection, would not.
 */
class AttributeRewardModelTest {

    @Test
    void recoversExaminationAndAttractionUnconfoundedBySelection() {
        SplittableRandom r = new SplittableRandom(3);
        AttributeRewardModel model = new AttributeRewardModel();
        String[] categories = {"coffee", "tea", "books", "toys"};
        for (int n = 0; n < 3000; n++) {
            Map<String, Map<String, Object>> attrs = new HashMap<>();
            String[] shown = new String[10];
            for (int k = 1; k <= 10; k++) {
                // the logging policy never puts coffee first, and puts books first most of the time
                String cat = k == 1 ? (r.nextDouble() < 0.8 ? "books" : "tea") : categories[r.nextInt(categories.length)];
                String id = "i" + n + "-" + k;
                attrs.put(id, Map.of("category", cat, "brand", "b" + r.nextInt(20), "tags", List.of("t" + r.nextInt(5))));
                shown[k - 1] = id;
            }
            model.forRequest("i" + n, attrs);
            for (int k = 1; k <= 10; k++) {
                String cat = (String) attrs.get(shown[k - 1]).get("category");
                double a = cat.equals("coffee") ? 0.45 : cat.equals("books") ? 0.2 : 0.12;
                model.observe(shown[k - 1], k, r.nextDouble() < a / k ? 1 : 0);
            }
        }
        // brand and tags carry no signal: values the model never saw stand for an average one
        model.forRequest("last", Map.of("c", Map.of("category", "coffee", "brand", "new", "tags", List.of("new")),
                "o", Map.of("category", "toys", "brand", "new", "tags", List.of("new"))));
        assertThat(model.predict("c", 1)).isCloseTo(0.45, within(0.07));
        assertThat(model.predict("o", 1)).isCloseTo(0.12, within(0.03));
        assertThat(model.predict("c", 5)).isCloseTo(0.09, within(0.02));
        assertThat(model.predict("unknown", 3)).isBetween(0.02, 0.08);
    }
}
