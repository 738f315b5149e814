package io.ranker.policy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import static io.ranker.policy.PolicyFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Mutated rule files: only validation errors, never an unexpected exception, never a change of the live set. */
class PolicyFuzzTest {
    static final String SEED_FILE = """
            surface: search
            description: fuzz seed
            rules:
              - id: drop-out-of-stock
                type: filter
                when: {attribute: in_stock, eq: false}
              - id: boost-sponsored
                type: boost
                when: {all: [{attribute: sponsored, eq: true}, {not: {segment: [kids]}}]}
                multiply: 1.2
              - id: bury-low-rating
                type: bury
                when: {attribute: rating, range: {max: 2.5}}
                multiply: 0.5
              - {id: pin-hero, type: pin, item: i3, position: 1}
              - id: sponsored-slots
                type: slot
                when: {attribute: sponsored, eq: true}
                positions: [3, 8]
                backfill: {attribute: category, prefix: c1}
              - {id: cap-brand, type: cap, attribute: brand, max: 2, topK: 10}
              - {id: spread, type: diversify, attribute: category, strength: 0.3, window: 20}
              - {id: fresh, type: freshness, halfLife: 7d, floor: 0.2, active: {from: '2026-01-01T00:00:00Z'}}
              - {id: unseen, type: exclude_seen, window: 24h, events: [shown]}
            """;
    private static final String[] TOKENS = {"&a ", "*a", "[", "]", "{", "}", ":", ": ", "- ", "\t", "\n", "  ", "#",
            "!!python/object ", "<<: *a", "'", "\"", "? ", "|", ">", "%YAML 1.1\n", "---\n", "...\n", "null", "~",
            "-1", "1e400", "NaN", ".inf", "0x1F", "9999999999999", "\u0000", "\uFEFF", "é", "type", "id", "rules",
            "when", "positions", "all", "any", "not", "range"};

    @Test
    void mutatedFilesOnlyProduceValidationErrors() {
        PolicyParser parser = new PolicyParser(ValidationLimits.DEFAULT, SeenItems.NONE);
        int invalid = 0, validCount = 0;
        for (int seed = 0; seed < 4000; seed++) {
            String yaml = mutate(new Random(seed), SEED_FILE);
            PolicyParser.Result r = parser.parse(yaml);
            if (r.valid()) {
                validCount++;
                CompiledPolicy p = new CompiledPolicy(r.policy().version(), r.policy().rules(), CLOCK);
                p.apply(ctx(Map.of("segment", "vip")), PolicyPropertiesTest.build(
                        PolicyPropertiesTest.randomCandidates(new Random(seed))));
            } else {
                invalid++;
                assertThat(r.errors()).as("seed " + seed + ":\n" + yaml).allSatisfy(e -> {
                    assertThat(e.message()).doesNotStartWith("cannot read the rule file");
                    assertThat(e.message()).isNotBlank();
                });
            }
        }
        assertThat(invalid).isGreaterThan(1000);
        assertThat(validCount).isGreaterThan(10);
    }

    @Test
    void invalidPublicationsNeverChangeTheLiveRules(@TempDir Path dir) {
        PolicyRegistry registry = new PolicyRegistry(dir.resolve("config"), new FilePolicyVersionStore(dir.resolve("data")),
                () -> ValidationLimits.DEFAULT, SeenItems.NONE, CLOCK, new SimpleMeterRegistry());
        registry.start();
        PolicyVersion live = registry.publish("search", SEED_FILE, "test", "seed");
        int rejected = 0;
        for (int seed = 0; seed < 600; seed++) {
            String yaml = mutate(new Random(seed), SEED_FILE);
            if (new PolicyParser(ValidationLimits.DEFAULT, SeenItems.NONE).parse(yaml).valid()) continue;
            rejected++;
            assertThatThrownBy(() -> registry.publish("search", yaml, "fuzz", "x"))
                    .isInstanceOf(PolicyRejectedException.class);
            assertThat(registry.stage("search").version()).isEqualTo(live.version());
        }
        assertThat(rejected).isGreaterThan(100);
        assertThat(registry.versions("search")).hasSize(1);
    }

    static String mutate(Random rnd, String base) {
        StringBuilder s = new StringBuilder(base);
        int edits = 1 + rnd.nextInt(4);
        for (int i = 0; i < edits; i++) {
            int at = rnd.nextInt(s.length() + 1);
            switch (rnd.nextInt(6)) {
                case 0 -> { if (at < s.length()) s.deleteCharAt(at); }
                case 1 -> s.insert(at, TOKENS[rnd.nextInt(TOKENS.length)]);
                case 2 -> { if (at < s.length()) s.setCharAt(at, (char) (32 + rnd.nextInt(95))); }
                case 3 -> s.setLength(Math.min(s.length(), at));
                case 4 -> {
                    // swap a value for one of another type
                    int colon = s.indexOf(": ", at);
                    if (colon > 0) {
                        int end = colon + 2;
                        while (end < s.length() && ",}\n".indexOf(s.charAt(end)) < 0) end++;
                        s.replace(colon + 2, end, TOKENS[rnd.nextInt(TOKENS.length)]);
                    }
                }
                default -> {
                    // duplicate a line (duplicate keys, duplicate rules)
                    int start = s.lastIndexOf("\n", Math.max(0, at - 1)) + 1;
                    int end = s.indexOf("\n", at);
                    if (end > start) s.insert(end + 1, s.substring(start, end + 1));
                }
            }
        }
        return s.toString();
    }
}
