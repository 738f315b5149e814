package io.ranker.policy;

import io.ranker.core.Item;
import io.ranker.core.Candidate;
import io.ranker.core.RankRequest;
import io.ranker.core.RankingContext;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builders shared by the policy tests: candidates from a compact text form, contexts, compiled rule sets. */
final class PolicyFixtures {
    static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private PolicyFixtures() {
    }

    /** "a 0.9 brand=x in_stock=true rating=4.5 tags=t1|t2": id, score, attributes (true/false, numbers, a|b lists). */
    static Candidate candidate(String spec) {
        String[] parts = spec.trim().split("\\s+");
        Map<String, Object> attrs = new LinkedHashMap<>();
        for (int i = 2; i < parts.length; i++) {
            String[] kv = parts[i].split("=", 2);
            attrs.put(kv[0], value(kv[1]));
        }
        Candidate c = new Candidate(parts[0], new Item(parts[0], "title " + parts[0], "", attrs, null));
        c.setScore(Double.parseDouble(parts[1]));
        return c;
    }

    static Object value(String v) {
        if (v.equals("true") || v.equals("false")) return Boolean.valueOf(v);
        if (v.contains("|")) return List.of(v.split("\\|"));
        try {
            return Double.valueOf(v);
        } catch (NumberFormatException e) {
            return v;
        }
    }

    static List<Candidate> candidates(String... specs) {
        List<Candidate> out = new ArrayList<>();
        for (String s : specs) out.add(candidate(s));
        return out;
    }

    static RankingContext ctx(Map<String, String> context) {
        return ctx("u1", context, true);
    }

    static RankingContext ctx(String user, Map<String, String> context, boolean explain) {
        return new RankingContext(new RankRequest("search", user, null, null, context, null, 10, explain, null), "imp-1", 7);
    }

    static CompiledPolicy compile(String yaml) {
        return compile(yaml, SeenItems.NONE);
    }

    static CompiledPolicy compile(String yaml, SeenItems seen) {
        PolicyParser.Result r = new PolicyParser(ValidationLimits.DEFAULT, seen).parse(yaml);
        if (!r.valid()) throw new AssertionError("invalid test policy: " + r.errors() + "\n" + yaml);
        return new CompiledPolicy(r.policy().version(), r.policy().rules(), CLOCK);
    }

    static List<String> ids(List<Candidate> cs) {
        return cs.stream().map(Candidate::id).toList();
    }
}
