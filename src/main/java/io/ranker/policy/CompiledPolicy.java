package io.ranker.policy;

import io.ranker.pipeline.Candidate;
import io.ranker.pipeline.Placement;
import io.ranker.pipeline.RankingContext;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A validated rule set for one surface, ready to apply: immutable and shared by all requests.
 * Order of work per request: SCORE rules (filter, exclude_seen, boost, bury, freshness) in declared order, a
 * stable sort by score (best first, NaN last), ORDER rules (diversify) in declared order, then the PLACE rules'
 * pins, slots and caps resolved into the final order by {@link PlaceConstrained}. Rules outside their active
 * window are skipped. Records its version in {@code ctx.versions()} under {@code "policy"}.
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
    private final List<PolicyRule> scoreRules = new ArrayList<>();
    private final List<PolicyRule> orderRules = new ArrayList<>();
    private final List<PolicyRule> placeRules = new ArrayList<>();
    private final Clock clock;

    public CompiledPolicy(String version, List<PolicyRule> rules, Clock clock) {
        this.version = version;
        this.rules = List.copyOf(rules);
        this.clock = clock;
        for (PolicyRule r : rules) {
            switch (r.phase()) {
                case SCORE -> scoreRules.add(r);
                case ORDER -> orderRules.add(r);
                case PLACE -> placeRules.add(r);
            }
        }
    }

    @Override
    public String version() { return version; }

    public List<PolicyRule> rules() { return rules; }

    @Override
    public PolicyOutcome apply(RankingContext ctx, List<Candidate> scored) {
        ctx.version("policy", version);
        long now = clock.millis();
        PolicyRun run = new PolicyRun(ctx, scored, now);
        for (PolicyRule r : scoreRules) if (r.active().contains(now)) r.apply(run);
        run.list.sort(BY_SCORE);
        for (PolicyRule r : orderRules) if (r.active().contains(now)) r.apply(run);
        for (PolicyRule r : placeRules) if (r.active().contains(now)) r.apply(run);
        Placement placement = PlaceConstrained.resolve(run);
        return new PolicyOutcome(List.copyOf(run.list), List.copyOf(run.removed), placement);
    }
}
