package io.ranker.policy;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PolicyParserTest {
    private final PolicyParser parser = new PolicyParser(
            new ValidationLimits(Set.of("brand", "category", "in_stock", "sponsored", "rating", "created_at"), 50),
            SeenItems.NONE);

    private List<PolicyError> errors(String yaml) {
        PolicyParser.Result r = parser.parse(yaml);
        assertThat(r.valid()).as("expected errors for:\n" + yaml).isFalse();
        assertThat(r.policy()).isNull();
        return r.errors();
    }

    @Test
    void malformedYamlReportsLineAndColumn() {
        List<PolicyError> e = errors("rules:\n  - id: a\n    type: filter\n    when: {attribute: brand, eq: [x\n");
        assertThat(e).hasSize(1);
        assertThat(e.get(0).message()).startsWith("malformed YAML");
        assertThat(e.get(0).line()).isGreaterThanOrEqualTo(4);
        assertThat(e.get(0).column()).isNotNull();
    }

    @Test
    void wrongTypesAndUnknownKeysReportWhere() {
        List<PolicyError> e = errors("""
                rules:
                  - id: cap-brand
                    type: cap
                    attribute: brand
                    max: two
                    topK: 10
                    colour: red
                """);
        assertThat(e).extracting(PolicyError::line).containsExactlyInAnyOrder(5, 7);
        assertThat(e).allSatisfy(err -> assertThat(err.rule()).isEqualTo("cap-brand"));
        assertThat(e.toString()).contains("'max' must be an integer", "unknown key 'colour'");
        PolicyError max = e.stream().filter(x -> x.line() == 5).findFirst().orElseThrow();
        assertThat(max.column()).isEqualTo(10);
    }

    @Test
    void unknownRuleType() {
        List<PolicyError> e = errors("rules:\n  - {id: x, type: shuffle}\n");
        assertThat(e.get(0).message()).contains("unknown rule type 'shuffle'");
        assertThat(e.get(0).line()).isEqualTo(2);
    }

    @Test
    void semanticErrorsNameTheRule() {
        List<PolicyError> e = errors("""
                rules:
                  - {id: f, type: filter, when: {attribute: colour, eq: red}}
                  - {id: p1, type: pin, item: sku-1, position: 1}
                  - {id: p2, type: pin, item: sku-2, position: 1}
                  - {id: p3, type: pin, item: sku-3, position: 60}
                  - {id: s, type: slot, when: {attribute: sponsored, eq: true}, positions: [3, 80]}
                  - {id: c1, type: cap, attribute: brand, max: 2, topK: 10}
                  - {id: c2, type: cap, attribute: brand, max: 3, topK: 20}
                  - {id: f, type: filter, when: {attribute: in_stock, eq: false}}
                """);
        assertThat(e).extracting(PolicyError::rule).containsExactlyInAnyOrder("f", "p2", "p3", "s", "c2", "f");
        String all = e.toString();
        assertThat(all).contains("unknown attribute 'colour'", "impossible pin: position 1 is already pinned by rule 'p1'",
                "impossible pin: position 60 is beyond the largest list (50)", "slot beyond the list size: position 80",
                "contradictory caps", "duplicate rule id");
    }

    @Test
    void pinCollidingWithSlotIsImpossible() {
        List<PolicyError> e = errors("""
                rules:
                  - {id: s, type: slot, when: {attribute: sponsored, eq: true}, positions: [3]}
                  - {id: p, type: pin, item: x, position: 3}
                """);
        assertThat(e).singleElement().satisfies(x -> {
            assertThat(x.rule()).isEqualTo("p");
            assertThat(x.message()).contains("reserved by slot rule 's'");
        });
    }

    @Test
    void aliasBombFailsFast() {
        StringBuilder b = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (char c = 'b'; c <= 'j'; c++) {
            char p = (char) (c - 1);
            b.append(c).append(": &").append(c).append(" [*").append(p);
            for (int i = 0; i < 8; i++) b.append(",*").append(p);
            b.append("]\n");
        }
        b.append("rules: []\n");
        long t0 = System.nanoTime();
        List<PolicyError> e = errors(b.toString());
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(2.0);
        assertThat(e.get(0).message()).containsIgnoringCase("aliases");
    }

    @Test
    void aliasesWithinTheLimitStillCannotExpandHugely() {
        // 8 aliases (within the alias limit) doubling a 5000-element list expand to 80000 values: over the node budget
        StringBuilder b = new StringBuilder("x0: &x0 [" + "1,".repeat(4999) + "1]\n");
        for (int i = 1; i <= 4; i++) b.append("x").append(i).append(": &x").append(i).append(" [*x").append(i - 1)
                .append(", *x").append(i - 1).append("]\n");
        b.append("rules: []\n");
        List<PolicyError> e = errors(b.toString());
        assertThat(e.toString()).contains("expands to more than");
    }

    @Test
    void deepNestingFailsFast() {
        String deep = "rules: " + "[".repeat(5000) + "]".repeat(5000) + "\n";
        assertThat(errors(deep).get(0).message()).containsIgnoringCase("nesting depth");
    }

    @Test
    void hugeFileIsRejected() {
        String huge = "rules: []\n# " + "x".repeat(PolicyParser.MAX_BYTES) + "\n";
        assertThat(errors(huge).get(0).message()).contains("larger than");
    }

    @Test
    void duplicateKeysAndTagsAreErrorsNotObjects() {
        assertThat(errors("rules: []\nrules: []\n").get(0).message()).contains("duplicate key 'rules'");
        assertThat(errors("rules: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://x\"]]]]\n"))
                .isNotEmpty();
    }

    @Test
    void versionIgnoresCommentsAndFormattingButNotContent() {
        String a = "rules:\n  - {id: f, type: filter, when: {attribute: brand, eq: x}}\n";
        String b = "# owner: search team\nrules:\n  - id: f   # drop brand x\n    type: filter\n    when:\n      attribute: brand\n      eq: x\n";
        String c = "rules:\n  - {id: f, type: filter, when: {attribute: brand, eq: y}}\n";
        String va = parser.parse(a).policy().version();
        assertThat(parser.parse(b).policy().version()).isEqualTo(va);
        assertThat(parser.parse(c).policy().version()).isNotEqualTo(va);
    }

    @Test
    void unknownAttributeCheckIsOffWithoutACatalog() {
        PolicyParser open = new PolicyParser(ValidationLimits.DEFAULT, SeenItems.NONE);
        assertThat(open.parse("rules:\n  - {id: f, type: filter, when: {attribute: colour, eq: red}}\n").valid()).isTrue();
    }

    @Test
    void everyRuleTypeParses() {
        PolicyParser.Result r = parser.parse("""
                description: all types
                rules:
                  - {id: a, type: filter, when: {attribute: in_stock, eq: false}}
                  - {id: b, type: boost, when: {attribute: brand, in: [x, y]}, multiply: 1.5, add: 0.1}
                  - {id: c, type: bury, when: {attribute: rating, range: {max: 3}}, multiply: 0.5}
                  - {id: d, type: pin, when: {attribute: sponsored, exists: true}, position: 1}
                  - {id: e, type: slot, when: {attribute: sponsored, eq: true}, positions: [3, 8], backfill: {attribute: rating, range: {min: 4.5}}}
                  - {id: f, type: cap, attribute: brand, max: 2, topK: 10}
                  - {id: g, type: diversify, attribute: category, strength: 0.4, window: 30}
                  - {id: h, type: diversify, method: mmr, strength: 0.2}
                  - {id: i, type: freshness, halfLife: 7d, floor: 0.3, when: {not: {attribute: category, prefix: evergreen}}}
                  - {id: j, type: exclude_seen, window: PT24H, events: [shown, clicked], active: {from: '2026-01-01T00:00:00Z'}}
                """);
        assertThat(r.errors()).isEmpty();
        assertThat(r.policy().rules()).extracting(PolicyRule::id).containsExactly("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
        assertThat(r.policy().description()).isEqualTo("all types");
    }

    @Test
    void boostAndBuryDirectionsAreChecked() {
        assertThat(errors("rules:\n  - {id: b, type: boost, when: {attribute: brand, eq: x}, multiply: 0.5}\n").toString())
                .contains("a boost must not lower scores");
        assertThat(errors("rules:\n  - {id: b, type: bury, when: {attribute: brand, eq: x}, add: 1}\n").toString())
                .contains("a bury must not raise scores");
    }
}
