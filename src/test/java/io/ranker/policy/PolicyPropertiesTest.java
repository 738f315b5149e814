package io.ranker.policy;

import io.ranker.core.PolicyStage;
import io.ranker.core.Item;
import io.ranker.core.Candidate;
import io.ranker.core.RankingContext;
import io.ranker.core.RuleEffect;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static io.ranker.policy.PolicyFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random rule sets over random candidate lists (Lucene-style randomized testing, fixed seeds so a failure
 * reproduces): the invariants every rule set must keep, whatever its rules.
 */
class PolicyPropertiesTest {
    private static final String[] BRANDS = {"b0", "b1", "b2", "b3", "b4"};
    private static final String[] CATEGORIES = {"c0", "c1", "c2", "c3"};

    @Test
    void invariantsHoldForRandomRuleSets() {
        int valid = 0, iterations = 1500;
        for (int seed = 0; seed < iterations; seed++) {
            Random rnd = new Random(seed);
            List<Map<String, Object>> specs = randomCandidates(rnd);
            String yaml = randomRules(rnd, specs);
            PolicyParser.Result parsed = new PolicyParser(ValidationLimits.DEFAULT, SeenItems.NONE).parse(yaml);
            if (!parsed.valid()) continue;
            valid++;
            CompiledPolicy policy = new CompiledPolicy(parsed.policy().version(), parsed.policy().rules(), CLOCK);
            Map<String, String> context = rnd.nextBoolean() ? Map.of("segment", "vip") : Map.of();
            RankingContext ctx = ctx("u1", context, rnd.nextBoolean());
            List<Candidate> input = build(specs);
            PolicyStage.PolicyOutcome out = policy.apply(ctx, input);
            String where = "seed " + seed + "\n" + yaml;
            check(policy, context, input, out, where);

            PolicyStage.PolicyOutcome again = policy.apply(ctx("u1", context, ctx.request().explain()), build(specs));
            assertThat(ids(again.ranked())).as("deterministic order, " + where).isEqualTo(ids(out.ranked()));
            assertThat(ids(again.removed())).as("deterministic removals, " + where).isEqualTo(ids(out.removed()));
            assertThat(again.placement()).as(where).isEqualTo(out.placement());
            for (int i = 0; i < out.ranked().size(); i++) {
                assertThat(again.ranked().get(i).trace()).as(where).isEqualTo(out.ranked().get(i).trace());
            }
        }
        assertThat(valid).as("most random rule sets should be valid").isGreaterThan(iterations / 2);
    }

    private static void check(CompiledPolicy policy, Map<String, String> context, List<Candidate> input,
                              PolicyStage.PolicyOutcome out, String where) {
        List<String> ranked = ids(out.ranked());
        List<String> removed = ids(out.removed());
        // a subset of the input, without duplicates, and nothing lost
        assertThat(ranked).as("no duplicates, " + where).doesNotHaveDuplicates();
        assertThat(removed).as(where).doesNotHaveDuplicates();
        assertThat(java.util.Collections.disjoint(ranked, removed)).as(where).isTrue();
        Set<String> all = new HashSet<>(ranked);
        all.addAll(removed);
        assertThat(all).as("output and removals partition the input, " + where).isEqualTo(new HashSet<>(ids(input)));

        Map<String, Candidate> byId = new HashMap<>();
        input.forEach(c -> byId.put(c.id(), c));
        Set<String> filtered = new HashSet<>();
        for (PolicyRule r : policy.rules()) {
            if (r instanceof DropMatching f) {
                for (Candidate c : input) if (f.when().test(c.item(), context)) filtered.add(c.id());
            }
        }
        assertThat(ranked.stream().filter(filtered::contains).toList()).as("a filtered item never appears, " + where).isEmpty();

        Map<Integer, String> fixed = out.placement().fixedPositions();
        fixed.forEach((p, id) -> assertThat(ranked.get(p - 1)).as("placement matches the order, " + where).isEqualTo(id));

        for (PolicyRule r : policy.rules()) {
            if (!(r instanceof CapPerAttribute cap)) continue;
            Map<String, Integer> counts = new HashMap<>(), fixedCounts = new HashMap<>();
            for (int p = 1; p <= Math.min(cap.topK(), ranked.size()); p++) {
                for (String v : byId.get(ranked.get(p - 1)).item().attributeValues(cap.attribute())) {
                    counts.merge(v, 1, Integer::sum);
                    if (fixed.containsKey(p)) fixedCounts.merge(v, 1, Integer::sum);
                }
            }
            counts.forEach((v, n) -> assertThat(n).as("cap " + cap.id() + " on " + v + ", " + where)
                    .isLessThanOrEqualTo(Math.max(cap.max(), fixedCounts.getOrDefault(v, 0))));
        }

        Set<Integer> claimed = new HashSet<>();
        Set<String> pinnedItems = new HashSet<>();
        List<PinItem> pins = new ArrayList<>();
        for (PolicyRule r : policy.rules()) if (r instanceof PinItem p && p.itemId() != null) pins.add(p);
        for (PolicyRule r : policy.rules()) if (r instanceof PinItem p && p.itemId() == null) pins.add(p);
        for (PinItem pin : pins) {
            int p = pin.position();
            boolean free = claimed.add(p);
            if (!free || p > ranked.size()) continue;
            if (pin.itemId() != null) {
                boolean present = byId.containsKey(pin.itemId()) && !filtered.contains(pin.itemId())
                        && pinnedItems.add(pin.itemId());
                if (present) assertThat(ranked.get(p - 1)).as("pin " + pin.id() + " holds, " + where).isEqualTo(pin.itemId());
            } else {
                boolean anyMatchFree = false;
                for (int i = 0; i < ranked.size(); i++) {
                    if (!fixed.containsKey(i + 1) && pin.when().test(byId.get(ranked.get(i)).item(), context)) anyMatchFree = true;
                }
                if (anyMatchFree) {
                    assertThat(pin.when().test(byId.get(ranked.get(p - 1)).item(), context))
                            .as("pin " + pin.id() + " holds the best matching item, " + where).isTrue();
                }
                pinnedItems.add(ranked.get(p - 1));
            }
        }
        for (Candidate c : out.removed()) {
            assertThat(c.trace()).as("a removed candidate says why, " + where).isNotEmpty();
        }
        for (Candidate c : out.ranked()) for (RuleEffect e : c.trace()) assertThat(e.rule()).isNotBlank();
    }

    static List<Map<String, Object>> randomCandidates(Random rnd) {
        int n = rnd.nextInt(61);
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("id", "i" + i);
            double score = rnd.nextInt(4) == 0 ? Math.round(rnd.nextDouble() * 5) / 5.0 : rnd.nextDouble();
            if (rnd.nextInt(40) == 0) score = Double.NaN;
            a.put("score", score);
            a.put("brand", BRANDS[rnd.nextInt(BRANDS.length)]);
            a.put("category", CATEGORIES[rnd.nextInt(CATEGORIES.length)]);
            a.put("in_stock", rnd.nextInt(5) != 0);
            if (rnd.nextInt(5) == 0) a.put("sponsored", true);
            a.put("rating", 1 + rnd.nextInt(5) * 1.0);
            if (rnd.nextBoolean()) a.put("created_at", (double) (NOW.toEpochMilli() - rnd.nextInt(30) * 86_400_000L));
            out.add(a);
        }
        return out;
    }

    static List<Candidate> build(List<Map<String, Object>> specs) {
        List<Candidate> out = new ArrayList<>();
        for (Map<String, Object> s : specs) {
            Map<String, Object> attrs = new LinkedHashMap<>(s);
            String id = (String) attrs.remove("id");
            double score = (Double) attrs.remove("score");
            float[] v = {(float) ((id.hashCode() % 7) / 7.0), (float) ((id.hashCode() % 5) / 5.0)};
            Candidate c = new Candidate(id, new Item(id, id, "", attrs, v));
            c.setScore(score);
            out.add(c);
        }
        return out;
    }

    static String randomRules(Random rnd, List<Map<String, Object>> specs) {
        StringBuilder b = new StringBuilder("rules:\n");
        int k = rnd.nextInt(9);
        Set<String> cappedAttrs = new HashSet<>();
        for (int i = 0; i < k; i++) {
            String id = "r" + i;
            switch (rnd.nextInt(9)) {
                case 0, 1 -> b.append("  - {id: ").append(id).append(", type: filter, when: ").append(condition(rnd, 0)).append("}\n");
                case 2 -> b.append("  - {id: ").append(id).append(", type: boost, when: ").append(condition(rnd, 0))
                        .append(", multiply: ").append(1 + rnd.nextInt(3)).append("}\n");
                case 3 -> b.append("  - {id: ").append(id).append(", type: bury, when: ").append(condition(rnd, 0))
                        .append(", multiply: 0.").append(rnd.nextInt(10)).append(", add: -0.1}\n");
                case 4 -> {
                    String target = rnd.nextBoolean() && !specs.isEmpty()
                            ? "item: " + specs.get(rnd.nextInt(specs.size())).get("id") + ", "
                            : rnd.nextInt(4) == 0 ? "item: missing, " : "when: " + condition(rnd, 0) + ", ";
                    b.append("  - {id: ").append(id).append(", type: pin, ").append(target).append("position: ")
                            .append(1 + rnd.nextInt(12)).append("}\n");
                }
                case 5 -> b.append("  - {id: ").append(id).append(", type: slot, when: ").append(condition(rnd, 0))
                        .append(", positions: [").append(1 + rnd.nextInt(6)).append(", ").append(7 + rnd.nextInt(6)).append("]")
                        .append(rnd.nextBoolean() ? ", backfill: " + condition(rnd, 0) : "").append("}\n");
                case 6 -> {
                    String attr = rnd.nextBoolean() ? "brand" : "category";
                    if (!cappedAttrs.add(attr)) continue;
                    b.append("  - {id: ").append(id).append(", type: cap, attribute: ").append(attr).append(", max: ")
                            .append(rnd.nextInt(4)).append(", topK: ").append(1 + rnd.nextInt(15)).append("}\n");
                }
                case 7 -> b.append("  - {id: ").append(id).append(", type: diversify, ")
                        .append(rnd.nextBoolean() ? "attribute: category" : "method: mmr")
                        .append(", strength: 0.").append(rnd.nextInt(10)).append(", window: ").append(2 + rnd.nextInt(40)).append("}\n");
                default -> b.append("  - {id: ").append(id).append(", type: freshness, halfLife: ")
                        .append(1 + rnd.nextInt(10)).append("d, floor: 0.").append(rnd.nextInt(10)).append("}\n");
            }
        }
        if (k == 0) return "rules: []\n";
        return b.toString();
    }

    static String condition(Random rnd, int depth) {
        int pick = rnd.nextInt(depth > 1 ? 6 : 9);
        return switch (pick) {
            case 0 -> "{attribute: brand, eq: " + BRANDS[rnd.nextInt(BRANDS.length)] + "}";
            case 1 -> "{attribute: category, in: [" + CATEGORIES[rnd.nextInt(4)] + ", " + CATEGORIES[rnd.nextInt(4)] + "]}";
            case 2 -> "{attribute: in_stock, eq: " + rnd.nextBoolean() + "}";
            case 3 -> "{attribute: rating, range: {min: " + rnd.nextInt(3) + ", max: " + (3 + rnd.nextInt(3)) + "}}";
            case 4 -> "{attribute: sponsored, exists: true}";
            case 5 -> "{segment: vip}";
            case 6 -> "{all: [" + condition(rnd, depth + 1) + ", " + condition(rnd, depth + 1) + "]}";
            case 7 -> "{any: [" + condition(rnd, depth + 1) + ", " + condition(rnd, depth + 1) + "]}";
            default -> "{not: " + condition(rnd, depth + 1) + "}";
        };
    }
}
