package io.ranker.policy;

import io.ranker.core.PolicyStage;
import io.ranker.core.Candidate;
import io.ranker.core.Placement;
import io.ranker.core.RankRequest;
import io.ranker.core.RankingContext;
import io.ranker.core.RuleEffect;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Dry run of a candidate rule set: the same scored candidates ranked under the live rule set ("before") and
 * under the candidate ("after"), first {@code limit} of each with every item's rule trace, plus what each
 * removed. Deterministic order (no exploration), so product owners see exactly what the rules do.
 */
public final class PolicyPreview {
    public record Item(String id, int position, double score, double modelScore, Integer positionBefore,
                       List<RuleEffect> trace) {
    }

    public record Side(String policyVersion, List<Item> items, List<Item> removed, Placement placement) {
    }

    public record Result(String surface, Side before, Side after, int candidates) {
    }

    private PolicyPreview() {
    }

    /**
     * @param live      the surface's live stage (or {@link PolicyStage#NONE})
     * @param candidate the candidate rule set, or null to preview the live set alone
     */
    public static Result run(RankRequest request, List<Candidate> scored, PolicyStage live, PolicyStage candidate) {
        RankRequest explained = new RankRequest(request.surface(), request.userId(), request.query(), request.queryVector(),
                request.context(), request.filters(), request.limit(), true, request.candidateIds());
        Side before = side(explained, copies(scored), live, null);
        Side after = candidate == null ? null : side(explained, copies(scored), candidate, before);
        return new Result(request.surface(), before, after, scored.size());
    }

    private static Side side(RankRequest request, List<Candidate> scored, PolicyStage stage, Side before) {
        PolicyStage.PolicyOutcome out = stage.apply(new RankingContext(request, "preview", 0L), scored);
        Map<String, Integer> was = new HashMap<>();
        if (before != null) before.items().forEach(i -> was.put(i.id(), i.position()));
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < Math.min(request.limit(), out.ranked().size()); i++) {
            Candidate c = out.ranked().get(i);
            items.add(new Item(c.id(), i + 1, c.score(), c.modelScore(), before == null ? null : was.get(c.id()),
                    List.copyOf(c.trace())));
        }
        List<Item> removed = out.removed().stream()
                .map(c -> new Item(c.id(), 0, c.score(), c.modelScore(), before == null ? null : was.get(c.id()),
                        List.copyOf(c.trace()))).toList();
        return new Side(stage.version(), items, removed, out.placement());
    }

    /** Independent copies: each side's rules change scores and traces. */
    static List<Candidate> copies(List<Candidate> scored) {
        List<Candidate> out = new ArrayList<>(scored.size());
        for (Candidate c : scored) {
            Candidate d = new Candidate(c.id(), c.item());
            c.hits().values().forEach(d::addHit);
            d.setRetrievalScore(c.retrievalScore());
            d.setModelScore(c.modelScore());
            d.setScore(c.score());
            d.setFeatures(c.features());
            d.setShadowScores(c.shadowScores());
            c.trace().forEach(d::addEffect);
            out.add(d);
        }
        return out;
    }
}
