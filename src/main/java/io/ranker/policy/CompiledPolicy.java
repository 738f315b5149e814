package io.ranker.policy;

import io.ranker.core.PolicyStage;
import io.ranker.core.Candidate;
import io.ranker.core.Placement;
import io.ranker.core.RankingContext;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A validated rule set for one surface, ready to apply: immutable and shared by all requests.
 * Order of work per request: SCORE rules (the per-candidate ones: filter, boost, ...) in declared order, a
 * stable sort by score (best first, NaN last), ORDER rules (diversify) in declared order, then the PLACE rules'
 * pins, slots and caps resolved into the final order by {@link PlaceConstrained}. Rules outside their active
 * window are skipped. Records its version in {@code ctx.versions()}.
 */
public final class CompiledPolicy implements PolicyStage {
    /** Score descending; NaN (unscored) last; stable, so ties keep the incoming order. */
    static final Comparator<Candidate> BY_SCORE = (a, b) -> {
        double x = a.score(), y = b.score();
        boolean xn = Double.isNaN(x), yn = Double.isNaN(y);
        if (xn || yn) return xn == yn ? 0 : xn ? 1 : -1;
        return Double.compare(y, x);
    };

    private final String version;
    private final List<PolicyRule> rules;
    private final List<CandidateRule> scoreRules = new ArrayList<>();
    private final List<PolicyRule> orderRules = new ArrayList<>();
    private final List<PolicyRule> placeRules = new ArrayList<>();
    private final Clock clock;
    private final Set<String> attributes;

    public CompiledPolicy(String version, List<PolicyRule> rules, Clock clock) {
        this.version = version;
        this.rules = List.copyOf(rules);
        this.clock = clock;
        Set<String> read = new TreeSet<>();
        for (PolicyRule r : rules) r.collectAttributes(read);
        this.attributes = Collections.unmodifiableSet(read);
        for (PolicyRule r : rules) {
            switch (r.phase()) {
                case SCORE -> scoreRules.add((CandidateRule) r);
                case ORDER -> orderRules.add(r);
                case PLACE -> placeRules.add(r);
            }
        }
    }

    @Override
    public String version() { return version; }

    public List<PolicyRule> rules() { return rules; }

    /** Every item attribute a rule of this set reads, whether or not the rule is active now. */
    @Override
    public Set<String> attributes() { return attributes; }

    /** All SCORE rules in one pass, candidate by candidate; same result as rule by rule, better locality. */
    private void applyCandidateRules(PolicyRun run, long now) {
        CandidateRule.Step[] steps = new CandidateRule.Step[scoreRules.size()];
        int k = 0;
        for (CandidateRule r : scoreRules) {
            if (!r.active().contains(now)) continue;
            CandidateRule.Step s = r.prepare(run);
            if (s != null) steps[k++] = s;
        }
        if (k == 0) return;
        List<Candidate> list = run.list;
        int w = 0;
        for (int i = 0, n = list.size(); i < n; i++) {
            Candidate c = list.get(i);
            boolean keep = true;
            for (int j = 0; j < k && keep; j++) keep = steps[j].apply(c);
            if (keep) list.set(w++, c);
            else run.removed(c);
        }
        list.subList(w, list.size()).clear();
    }

    @Override
    public PolicyOutcome apply(RankingContext ctx, List<Candidate> scored) {
        ctx.setPolicyVersion(version);
        long now = clock.millis();
        PolicyRun run = new PolicyRun(ctx, scored, now);
        applyCandidateRules(run, now);
        run.list.sort(BY_SCORE);
        for (PolicyRule r : orderRules) if (r.active().contains(now)) r.apply(run);
        for (PolicyRule r : placeRules) if (r.active().contains(now)) r.apply(run);
        Placement placement = PlaceConstrained.resolve(run);
        return new PolicyOutcome(List.copyOf(run.list), List.copyOf(run.removed), placement);
    }
}
