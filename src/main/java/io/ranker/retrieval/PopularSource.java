package io.ranker.retrieval;

import io.ranker.core.CandidateSource;
import io.ranker.catalog.CatalogIndex;
import io.ranker.core.AttributeFilter;
import io.ranker.core.RankingContext;
import io.ranker.core.SourceHit;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TopDocs;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The fallback source: items with the highest value of a numeric attribute ({@code popularity} for
 * "popular", {@code created_at} for "recent"), honouring filters. Needs no query and no user, so a
 * request always has candidates even when every other source fails.
 */
public final class PopularSource implements CandidateSource {
    /** {@code type: popular}; {@code by}: the numeric attribute ranked by (default {@code popularity}). */
    public static final SourceType<Settings> TYPE = new SourceType<>("popular", Set.of("by"),
            in -> new Settings(in.string("by", "popularity")),
            (name, s, surface) -> new PopularSource(name, surface.index(), s.by(), surface.filters()));

    public record Settings(String by) {
    }

    private final String name;
    private final CatalogIndex index;
    private final String attribute;
    private final List<AttributeFilter> pipelineFilters;

    public PopularSource(String name, CatalogIndex index, String attribute, List<AttributeFilter> pipelineFilters) {
        this.name = name;
        this.index = index;
        this.attribute = attribute;
        this.pipelineFilters = List.copyOf(pipelineFilters);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<SourceHit> retrieve(RankingContext ctx, int limit) throws Exception {
        List<AttributeFilter> all = new ArrayList<>(pipelineFilters);
        all.addAll(ctx.request().filters());
        Query filter = FilterQueries.of(all);
        Query q = filter == null ? new MatchAllDocsQuery() : filter;
        SortField sort = new SortField("n." + attribute, SortField.Type.DOUBLE, true);
        sort.setMissingValue(Double.NEGATIVE_INFINITY);
        IndexSearcher searcher = index.acquire();
        try {
            TopDocs top = searcher.search(q, limit, new Sort(sort));
            // Sorted searches carry the sort value instead of a relevance score: expose that as the score.
            for (ScoreDoc sd : top.scoreDocs) {
                Object v = ((FieldDoc) sd).fields[0];
                sd.score = v instanceof Double d && Double.isFinite(d) ? d.floatValue() : 0f;
            }
            return SearchHits.toHits(name, searcher, top);
        } finally {
            index.release(searcher);
        }
    }
}
