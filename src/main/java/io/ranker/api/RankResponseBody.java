package io.ranker.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.ranker.core.Candidate;
import io.ranker.core.RankResult;
import io.ranker.core.RankingContext;
import io.ranker.core.RuleEffect;
import io.ranker.core.Versions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON body of a {@code /v1/rank} response (contract: ARCHITECTURE.md). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RankResponseBody(String impressionId, String surface, List<ItemBody> items, String modelVersion,
                               String policyVersion, String experimentArm, List<String> degraded,
                               ExplainBody explain) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ItemBody(String id, int position, double score, double propensity, String title,
                           ItemExplain explain) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ItemExplain(double retrievalScore, Map<String, Map<String, Double>> sources, Double modelScore,
                              Map<String, Double> shadowScores, Map<String, Float> features,
                              List<RuleEffect> rules, double choiceProbability) {
    }

    /** Request-level explain: versions, stage timings in milliseconds, and what the policy removed. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ExplainBody(Map<String, String> versions, Map<String, Double> stageMillis, boolean explored,
                              int candidates, List<Removed> removed) {
    }

    public record Removed(String id, List<RuleEffect> rules) {
    }

    public static RankResponseBody of(RankResult result) {
        RankingContext ctx = result.context();
        boolean explain = ctx.request().explain();
        var ex = result.exploration();
        List<ItemBody> items = new ArrayList<>(ex.shown().size());
        for (int i = 0; i < ex.shown().size(); i++) {
            Candidate c = ex.shown().get(i);
            items.add(new ItemBody(c.id(), i + 1, c.score(), ex.propensity()[i], c.item() == null ? null : c.item().title(),
                    explain ? itemExplain(c, result.featureNames(), ex.choiceProb()[i]) : null));
        }
        ExplainBody explainBody = null;
        if (explain) {
            Map<String, Double> millis = new LinkedHashMap<>();
            ctx.stageNanos().forEach((k, v) -> millis.put(k, v / 1e6));
            List<Removed> removed = result.removed().stream().map(c -> new Removed(c.id(), List.copyOf(c.trace()))).toList();
            explainBody = new ExplainBody(ctx.versions().asMap(), millis, ex.explored(), result.candidateCount(), removed);
        }
        Versions v = ctx.versions();
        return new RankResponseBody(ctx.impressionId(), ctx.request().surface(), items,
                v.model() == null ? "none" : v.model(), v.policy() == null ? "none" : v.policy(),
                ctx.experimentArm(), List.copyOf(ctx.degraded()), explainBody);
    }

    private static ItemExplain itemExplain(Candidate c, List<String> featureNames, double choiceProb) {
        Map<String, Map<String, Double>> sources = new LinkedHashMap<>();
        c.hits().forEach((name, h) -> sources.put(name, Map.of("score", h.score(), "rank", (double) h.rank())));
        Map<String, Float> features = null;
        if (c.features() != null) {
            features = new LinkedHashMap<>();
            for (int i = 0; i < featureNames.size() && i < c.features().length; i++) features.put(featureNames.get(i), c.features()[i]);
        }
        return new ItemExplain(c.retrievalScore(), sources, Double.isNaN(c.modelScore()) ? null : c.modelScore(),
                c.shadowScores().isEmpty() ? null : c.shadowScores(), features, List.copyOf(c.trace()), choiceProb);
    }
}
