package io.ranker.policy;

import io.ranker.core.Candidate;
import io.ranker.core.Item;
import io.ranker.core.PolicyStage;
import io.ranker.core.RuleEffect;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static io.ranker.policy.PolicyFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

/** {@code type: boost_new}: a boost for items younger than the window, fading linearly with age. */
class BoostNewItemsTest {
    static final long DAY = 86_400_000L;
    static final long NOW_MS = NOW.toEpochMilli();

    @BeforeAll
    static void schema() throws Exception {
        PolicyConfigFilesTest.loadSchema();
    }

    @Test
    void boostFadesLinearlyOverTheWindow() {
        PolicyStage.PolicyOutcome out = compile("rules:\n  - {id: n, type: boost_new, window: 10d, multiply: 3}\n")
                .apply(ctx(Map.of()), List.of(
                        created("new", 0.2, NOW_MS), created("half", 0.2, NOW_MS - 5 * DAY),
                        created("edge", 0.2, NOW_MS - 10 * DAY), created("old", 0.5, NOW_MS - 400 * DAY),
                        created("future", 0.2, NOW_MS + DAY), unknown("unknown", 0.4)));
        Map<String, Double> score = scores(out.ranked());
        assertThat(score.get("new")).isCloseTo(0.6, offset(1e-12));      // x3 at age 0
        assertThat(score.get("half")).isCloseTo(0.4, offset(1e-12));     // x(1 + 2 * 0.5)
        assertThat(score.get("edge")).isEqualTo(0.2);                    // window over: untouched
        assertThat(score.get("old")).isEqualTo(0.5);
        assertThat(score.get("future")).isCloseTo(0.6, offset(1e-12));   // clock skew counts as brand-new
        assertThat(score.get("unknown")).isEqualTo(0.4);                 // missing data never wins
        assertThat(ids(out.ranked())).containsExactly("new", "future", "old", "half", "unknown", "edge");
        Candidate half = out.ranked().get(3);
        assertThat(half.trace()).singleElement().satisfies(e -> {
            assertThat(e.rule()).isEqualTo("n");
            assertThat(e.action()).isEqualTo("boosted");
            assertThat(e.detail()).contains("weight 0.5");
        });
        assertThat(out.ranked().get(2).trace()).isEmpty();
    }

    @Test
    void addAndConditionAndAnotherAttribute() {
        PolicyStage.PolicyOutcome out = compile("""
                rules:
                  - id: n
                    type: boost_new
                    window: 1d
                    add: 1
                    attribute: published_at
                    when: {attribute: category, eq: news}
                """).apply(ctx(Map.of()), List.of(
                candidate("a 0.5 category=news published_at=" + (NOW_MS - DAY / 4)),
                candidate("b 0.5 category=sport published_at=" + NOW_MS),
                candidate("c 0.5 category=news created_at=" + NOW_MS)));
        Map<String, Double> score = scores(out.ranked());
        assertThat(score.get("a")).isCloseTo(1.25, offset(1e-12));
        assertThat(score.get("b")).isEqualTo(0.5);   // not news
        assertThat(score.get("c")).isEqualTo(0.5);   // has created_at, not the configured attribute
    }

    @Test
    void neverLowersAScoreNegativeScoresIncluded() {
        SplittableRandom rnd = new SplittableRandom(11);
        CompiledPolicy p = compile("rules:\n  - {id: n, type: boost_new, window: 30d, multiply: 2.5, add: 0.1}\n");
        for (int round = 0; round < 200; round++) {
            List<Candidate> cs = new ArrayList<>();
            Map<String, Double> before = new HashMap<>();
            for (int i = 0; i < 20; i++) {
                double s = rnd.nextDouble(-5, 5);
                Candidate c = created("i" + i, s, NOW_MS - (long) rnd.nextDouble(0, 60) * DAY);
                before.put(c.id(), s);
                cs.add(c);
            }
            for (Candidate c : p.apply(ctx("u", Map.of(), false), cs).ranked()) {
                assertThat(c.score()).isGreaterThanOrEqualTo(before.get(c.id()));
                if (c.score() > before.get(c.id())) assertThat(c.trace()).containsExactly(new RuleEffect("n", "boosted", null));
            }
        }
    }

    @Test
    void parserAndSchemaAgree() throws Exception {
        String ok = "rules:\n  - {id: n, type: boost_new, window: 14d, multiply: 1.5, when: {attribute: brand, eq: x}}\n";
        assertThat(PolicyConfigFilesTest.schemaErrors(ok)).isEmpty();
        assertThat(new PolicyParser(ValidationLimits.DEFAULT, SeenItems.NONE).parse(ok).errors()).isEmpty();
        for (String bad : List.of(
                "rules:\n  - {id: n, type: boost_new, multiply: 2}\n",                // no window
                "rules:\n  - {id: n, type: boost_new, window: 7d}\n",                 // neither multiply nor add
                "rules:\n  - {id: n, type: boost_new, window: 7d, multiply: 0.5}\n",  // lowers scores
                "rules:\n  - {id: n, type: boost_new, window: 7d, add: -1}\n",
                "rules:\n  - {id: n, type: boost_new, window: soon, multiply: 2}\n",
                "rules:\n  - {id: n, type: boost_new, window: 7d, multiply: 2, floor: 0.5}\n")) {
            assertThat(PolicyConfigFilesTest.schemaErrors(bad)).as("schema: " + bad).isNotEmpty();
            assertThat(new PolicyParser(ValidationLimits.DEFAULT, SeenItems.NONE).parse(bad).errors()).as("parser: " + bad)
                    .isNotEmpty();
        }
    }

    @Test
    void ageAttributeIsCheckedAgainstTheCatalog() {
        PolicyParser strict = new PolicyParser(new ValidationLimits(java.util.Set.of("brand"), 100), SeenItems.NONE);
        assertThat(strict.parse("rules:\n  - {id: n, type: boost_new, window: 7d, multiply: 2}\n").errors().toString())
                .contains("unknown attribute 'created_at'");
    }

    private static Candidate created(String id, double score, long createdAt) {
        Candidate c = new Candidate(id, new Item(id, "", "", Map.of("created_at", (double) createdAt), null));
        c.setScore(score);
        return c;
    }

    private static Candidate unknown(String id, double score) {
        Candidate c = new Candidate(id, new Item(id, "", "", Map.of(), null));
        c.setScore(score);
        return c;
    }

    private static Map<String, Double> scores(List<Candidate> cs) {
        Map<String, Double> out = new HashMap<>();
        for (Candidate c : cs) out.put(c.id(), c.score());
        return out;
    }
}
