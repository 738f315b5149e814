package io.ranker.policy;

import io.ranker.core.PolicyStage;
import io.ranker.core.Item;
import io.ranker.core.CapConstraint;
import io.ranker.core.Candidate;
import io.ranker.core.RuleEffect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.ranker.policy.PolicyFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

/** One row per rule type (and per interplay of rules): rules, context, expected order and removals. */
class PolicyRulesTableTest {
    static final String[] CATALOG = {
            "a 0.9 brand=x category=c1 in_stock=true rating=4.5 tags=new|sale",
            "b 0.8 brand=x category=c1 in_stock=false rating=4.0",
            "c 0.7 brand=x category=c2 in_stock=true rating=2.0 tags=sale",
            "d 0.6 brand=y category=c2 in_stock=true sponsored=true rating=4.0",
            "e 0.5 brand=y category=c3 in_stock=true rating=3.0",
            "f 0.4 brand=z category=c1 in_stock=true sponsored=true rating=5.0",
    };

    static Stream<Arguments> rows() {
        return Stream.of(
                row("filter eq", "{id: r, type: filter, when: {attribute: in_stock, eq: false}}", Map.of(),
                        "a c d e f", "b"),
                row("filter any/in/range", "{id: r, type: filter, when: {any: [{attribute: brand, in: [x]}, "
                        + "{attribute: rating, range: {max: 3}}]}}", Map.of(), "d f", "a b c e"),
                row("filter not", "{id: r, type: filter, when: {not: {attribute: in_stock, eq: true}}}", Map.of(),
                        "a c d e f", "b"),
                row("filter exists", "{id: r, type: filter, when: {attribute: sponsored, exists: true}}", Map.of(),
                        "a b c e", "d f"),
                row("filter prefix on list attribute", "{id: r, type: filter, when: {attribute: tags, prefix: sa}}",
                        Map.of(), "b d e f", "a c"),
                row("filter by context", "{id: r, type: filter, when: {all: [{context: country, eq: DE}, "
                        + "{attribute: brand, eq: y}]}}", Map.of("country", "DE"), "a b c f", "d e"),
                row("filter by context, other country", "{id: r, type: filter, when: {all: [{context: country, eq: DE}, "
                        + "{attribute: brand, eq: y}]}}", Map.of("country", "FR"), "a b c d e f", ""),
                row("boost multiply", "{id: r, type: boost, when: {attribute: sponsored, eq: true}, multiply: 2}",
                        Map.of(), "d a b f c e", ""),
                row("bury", "{id: r, type: bury, when: {attribute: rating, range: {max: 3}}, multiply: 0.1}",
                        Map.of(), "a b d f c e", ""),
                row("boost for a segment", "{id: r, type: boost, when: {all: [{segment: vip}, {attribute: brand, eq: z}]}, add: 1}",
                        Map.of("segment", "vip"), "f a b c d e", ""),
                row("boost for a segment, other user", "{id: r, type: boost, when: {all: [{segment: [vip, gold]}, "
                        + "{attribute: brand, eq: z}]}, add: 1}", Map.of("segment", "new"), "a b c d e f", ""),
                row("pin item", "{id: r, type: pin, item: e, position: 1}", Map.of(), "e a b c d f", ""),
                row("pin best matching", "{id: r, type: pin, when: {attribute: sponsored, eq: true}, position: 1}",
                        Map.of(), "d a b c e f", ""),
                row("pin beyond the list is unsatisfied", "{id: r, type: pin, item: a, position: 9}", Map.of(),
                        "a b c d e f", ""),
                row("slot", "{id: r, type: slot, when: {attribute: sponsored, eq: true}, positions: [2, 4]}",
                        Map.of(), "a d b f c e", ""),
                row("slot backfill", "{id: r, type: slot, when: {attribute: brand, eq: nope}, positions: [1], "
                        + "backfill: {attribute: category, eq: c3}}", Map.of(), "e a b c d f", ""),
                row("slot organic when nothing qualifies", "{id: r, type: slot, when: {attribute: brand, eq: nope}, "
                        + "positions: [1]}", Map.of(), "a b c d e f", ""),
                row("cap", "{id: r, type: cap, attribute: brand, max: 1, topK: 3}", Map.of(), "a d f b c e", ""),
                row("diversify by category", "{id: r, type: diversify, attribute: category, strength: 0.5, window: 6}",
                        Map.of(), "a c e b d f", ""),
                row("diversify strength 0 keeps the order", "{id: r, type: diversify, attribute: category, strength: 0}",
                        Map.of(), "a b c d e f", ""),
                row("inactive window", "{id: r, type: filter, when: {attribute: in_stock, eq: false}, "
                        + "active: {until: '2026-11-01T00:00:00Z'}}", Map.of(), "a b c d e f", ""),
                row("active window", "{id: r, type: filter, when: {attribute: in_stock, eq: false}, "
                        + "active: {from: '2026-11-01T00:00:00Z', until: '2026-12-01T00:00:00Z'}}", Map.of(), "a c d e f", "b"),
                // interplay
                row("filter removes a pinned item", "{id: f, type: filter, when: {attribute: in_stock, eq: false}}\n"
                        + "  - {id: p, type: pin, item: b, position: 1}", Map.of(), "a c d e f", "b"),
                row("pin + slot + cap + filter", "{id: f, type: filter, when: {attribute: in_stock, eq: false}}\n"
                        + "  - {id: p, type: pin, item: a, position: 3}\n"
                        + "  - {id: s, type: slot, when: {attribute: sponsored, eq: true}, positions: [1]}\n"
                        + "  - {id: k, type: cap, attribute: brand, max: 1, topK: 3}", Map.of(), "d f a c e", "b"),
                row("boost then cap", "{id: b, type: boost, when: {attribute: brand, eq: x}, add: 10}\n"
                        + "  - {id: k, type: cap, attribute: brand, max: 2, topK: 4}", Map.of(), "a b d e c f", ""),
                row("slot respects caps", "{id: k, type: cap, attribute: brand, max: 1, topK: 6}\n"
                        + "  - {id: s, type: slot, when: {attribute: brand, eq: x}, positions: [2]}", Map.of(),
                        "d a f", "b c e"),
                row("caps end the list when nothing fits", "{id: k, type: cap, attribute: category, max: 1, topK: 5}",
                        Map.of(), "a c e", "b d f"));
    }

    static Arguments row(String name, String rules, Map<String, String> context, String order, String removed) {
        return Arguments.of(name, "rules:\n  - " + rules + "\n", context, order, removed);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void appliesRule(String name, String yaml, Map<String, String> context, String order, String removed) {
        PolicyStage.PolicyOutcome out = compile(yaml).apply(ctx(context), candidates(CATALOG));
        assertThat(String.join(" ", ids(out.ranked()))).as(name).isEqualTo(order);
        assertThat(String.join(" ", ids(out.removed()).stream().sorted().toList())).as(name + " removed").isEqualTo(removed);
    }

    @Test
    void interplayReportsPlacementAndTraces() {
        String yaml = """
                rules:
                  - {id: f, type: filter, when: {attribute: in_stock, eq: false}}
                  - {id: p, type: pin, item: a, position: 3}
                  - {id: s, type: slot, when: {attribute: sponsored, eq: true}, positions: [1]}
                  - {id: k, type: cap, attribute: brand, max: 1, topK: 3}
                """;
        CompiledPolicy policy = compile(yaml);
        PolicyStage.PolicyOutcome out = policy.apply(ctx(Map.of()), candidates(CATALOG));
        assertThat(out.placement().fixedPositions()).containsExactlyInAnyOrderEntriesOf(Map.of(1, "d", 3, "a"));
        assertThat(out.placement().caps()).containsExactly(new CapConstraint("k", "brand", 1, 3));
        Candidate b = out.removed().get(0);
        assertThat(b.trace()).containsExactly(new RuleEffect("f", "filtered", null));
        Candidate a = out.ranked().get(2);
        assertThat(a.trace()).extracting(RuleEffect::rule, RuleEffect::action).containsExactly(
                org.assertj.core.groups.Tuple.tuple("p", "pinned"));
        assertThat(out.ranked().get(3).trace()).extracting(RuleEffect::action).containsExactly("capped");
    }

    @Test
    void boostRecordsScoreChange() {
        PolicyStage.PolicyOutcome out = compile("rules:\n  - {id: r, type: boost, when: {attribute: brand, eq: z}, multiply: 3}\n")
                .apply(ctx(Map.of()), candidates("f 0.25 brand=z", "g 0.5 brand=q"));
        assertThat(out.ranked().get(0).score()).isEqualTo(0.75);
        assertThat(out.ranked().get(0).trace()).containsExactly(new RuleEffect("r", "boosted", "score 0.25 -> 0.75"));
    }

    @Test
    void freshnessHalvesScoreEveryHalfLife() {
        long now = NOW.toEpochMilli();
        long day = 86_400_000L;
        List<Candidate> cs = candidates("old 0.9", "new 0.5", "mid 0.8", "unknown 0.5");
        cs = List.of(withCreated(cs.get(0), now - 10 * day), withCreated(cs.get(1), now),
                withCreated(cs.get(2), now - day), cs.get(3));
        PolicyStage.PolicyOutcome out = compile("rules:\n  - {id: r, type: freshness, halfLife: 1d, floor: 0.1}\n")
                .apply(ctx(Map.of()), cs);
        assertThat(ids(out.ranked())).containsExactly("new", "mid", "old", "unknown");
        Candidate mid = out.ranked().get(1);
        assertThat(mid.score()).isCloseTo(0.8 * (0.1 + 0.9 * 0.5), org.assertj.core.data.Offset.offset(1e-12));
        assertThat(out.ranked().get(3).score()).isCloseTo(0.05, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void mmrSpreadsNearDuplicateVectors() {
        Candidate a = vec("a", 0.9, 1, 0), b = vec("b", 0.85, 1, 0.01f), c = vec("c", 0.5, 0, 1);
        PolicyStage.PolicyOutcome out = compile("rules:\n  - {id: r, type: diversify, method: mmr, strength: 0.5}\n")
                .apply(ctx(Map.of()), List.of(a, b, c));
        assertThat(ids(out.ranked())).containsExactly("a", "c", "b");
        PolicyStage.PolicyOutcome weak = compile("rules:\n  - {id: r, type: diversify, method: mmr, strength: 0.05}\n")
                .apply(ctx(Map.of()), List.of(vec("a", 0.9, 1, 0), vec("b", 0.85, 1, 0.01f), vec("c", 0.5, 0, 1)));
        assertThat(ids(weak.ranked())).containsExactly("a", "b", "c");
    }

    @Test
    void excludeSeenDropsRecentlyShownItemsOfThisUserOnly() {
        InMemorySeenItems seen = new InMemorySeenItems(100);
        long now = NOW.toEpochMilli();
        seen.record("u1", "a", "shown", now - 10 * 60_000);
        seen.record("u1", "b", "shown", now - 2 * 3_600_000);
        seen.record("u1", "c", "clicked", now - 60_000);
        seen.record("u2", "d", "shown", now);
        CompiledPolicy p = compile("rules:\n  - {id: r, type: exclude_seen, window: 1h, events: [shown]}\n", seen);
        PolicyStage.PolicyOutcome out = p.apply(ctx(Map.of()), candidates(CATALOG));
        assertThat(ids(out.removed())).containsExactly("a");
        assertThat(ids(out.ranked())).containsExactly("b", "c", "d", "e", "f");
        PolicyStage.PolicyOutcome all = compile("rules:\n  - {id: r, type: exclude_seen, window: 1h}\n", seen)
                .apply(ctx(Map.of()), candidates(CATALOG));
        assertThat(ids(all.removed())).containsExactly("a", "c");
    }

    @Test
    void recordsItsVersionInTheContext() {
        var ctx = ctx(Map.of());
        CompiledPolicy p = compile("rules: []\n");
        p.apply(ctx, candidates(CATALOG));
        assertThat(ctx.versions().policy()).isEqualTo(p.version());
        assertThat(p.version()).hasSize(12);
    }

    private static Candidate withCreated(Candidate c, long created) {
        Candidate out = new Candidate(c.id(), new Item(c.id(), "", "", Map.of("created_at", (double) created), null));
        out.setScore(c.score());
        return out;
    }

    private static Candidate vec(String id, double score, float x, float y) {
        Candidate c = new Candidate(id, new Item(id, "", "", Map.of(), new float[]{x, y}));
        c.setScore(score);
        return c;
    }
}
