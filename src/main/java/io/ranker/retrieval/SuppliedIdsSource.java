package io.ranker.retrieval;

import io.ranker.core.CandidateSource;
import io.ranker.catalog.CatalogIndex;
import io.ranker.core.RankingContext;
import io.ranker.core.SourceHit;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Candidates the caller names ({@code candidateIds}), in the caller's order. Ids the catalog does not know
 * are skipped: every later stage needs the item's attributes.
 */
public final class SuppliedIdsSource implements CandidateSource {
    public static final String NAME = "supplied";
    /** {@code type: supplied}: no settings; always named {@value #NAME}. */
    public static final SourceType<None> TYPE = new SourceType<>(NAME, Set.of(), in -> None.INSTANCE,
            (name, s, surface) -> new SuppliedIdsSource(surface.index()));

    /** The settings of a source type that takes none. */
    public enum None { INSTANCE }

    private final CatalogIndex index;

    public SuppliedIdsSource(CatalogIndex index) {
        this.index = index;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean appliesTo(RankingContext ctx) {
        return !ctx.request().candidateIds().isEmpty();
    }

    @Override
    public List<SourceHit> retrieve(RankingContext ctx, int limit) {
        List<String> ids = ctx.request().candidateIds();
        List<SourceHit> hits = new ArrayList<>(Math.min(ids.size(), limit));
        int rank = 1;
        for (String id : ids) {
            if (hits.size() >= limit) break;
            if (index.item(id) == null) continue;
            hits.add(new SourceHit(NAME, 1.0 / rank, rank, id));
            rank++;
        }
        return hits;
    }
}
