package io.ranker.pipeline;

import io.ranker.core.RankResult;
import io.ranker.core.Candidate;
import io.ranker.core.RankingContext;
import io.ranker.core.RankRequest;
import io.ranker.core.Exploration;
import io.ranker.logging.ImpressionRecord;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a served request into its impression record. For a sampled fraction of traffic (decided by the
 * seed, so the decision is reproducible) the record also carries every candidate with its features as
 * served, which is what replay needs to re-rank the request exactly.
 */
public final class ImpressionRecordBuilder {
    private final double candidateSampleRate;
    private final Set<String> extraAttributes;

    /**
     * @param candidateSampleRate share of impressions (0..1) that log their full candidate set
     * @param extraAttributes     item attributes logged with candidate sets besides those the serving policy reads
     *                            (which are always logged, so that replay re-applies it exactly): what the replay
     *                            report's exposure shift and dry runs of rules not yet live will read
     */
    public ImpressionRecordBuilder(double candidateSampleRate, Set<String> extraAttributes) {
        this.candidateSampleRate = candidateSampleRate;
        this.extraAttributes = Set.copyOf(extraAttributes);
    }

    public ImpressionRecord build(RankResult result) {
        RankingContext ctx = result.context();
        Exploration ex = result.exploration();
        List<ImpressionRecord.ShownItem> items = new ArrayList<>(ex.shown().size());
        for (int i = 0; i < ex.shown().size(); i++) {
            Candidate c = ex.shown().get(i);
            items.add(new ImpressionRecord.ShownItem(c.id(), i + 1, c.retrievalScore(), c.modelScore(), c.score(),
                    ex.propensity()[i], ex.choiceProb()[i], c.shadowScores().isEmpty() ? null : c.shadowScores()));
        }
        boolean withCandidates = sampled(ctx.seed());
        List<ImpressionRecord.LoggedCandidate> logged = null;
        if (withCandidates) {
            List<Candidate> candidates = result.candidates();
            Set<String> policyAttributes = result.policyAttributes();
            logged = new ArrayList<>(candidates.size());
            for (Candidate c : candidates) {
                Map<String, double[]> sources = new LinkedHashMap<>();
                c.hits().forEach((s, h) -> sources.put(s, new double[]{h.score(), h.rank()}));
                Map<String, Object> attrs = new LinkedHashMap<>();
                if (c.item() != null) {
                    for (String a : policyAttributes) copy(c, a, attrs);
                    for (String a : extraAttributes) if (!policyAttributes.contains(a)) copy(c, a, attrs);
                }
                logged.add(new ImpressionRecord.LoggedCandidate(c.id(), c.retrievalScore(), sources, c.features(), attrs));
            }
        }
        RankRequest req = ctx.request();
        return new ImpressionRecord(ctx.impressionId(), System.currentTimeMillis(), req.surface(), req.userId(),
                req.query(), req.context(), ctx.seed(), ctx.versions().asMap(), ctx.experimentArm(),
                ctx.versions().explorer(), ex.explored(), ex.mcSamples(), items,
                withCandidates ? result.featureNames() : null, logged, ctx.featureHealth(), List.copyOf(ctx.degraded()),
                ex.mcStdError(), ex.notExplorable().stream().sorted().toList());
    }

    private static void copy(Candidate c, String attribute, Map<String, Object> into) {
        Object v = c.item().attribute(attribute);
        if (v != null) into.put(attribute, v);
    }

    private boolean sampled(long seed) {
        if (candidateSampleRate <= 0) return false;
        if (candidateSampleRate >= 1) return true;
        // Top 53 bits of the seed as a uniform number in [0, 1).
        return (seed >>> 11) * 0x1.0p-53 < candidateSampleRate;
    }
}
