package io.ranker.retrieval;

import io.ranker.core.CandidateSource;
import io.ranker.catalog.CatalogIndex;
import io.ranker.core.AttributeFilter;
import io.ranker.core.RankingContext;
import io.ranker.core.SourceHit;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.util.QueryBuilder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** BM25 over the text fields with per-field boosts (Lucene's default similarity is BM25). */
public final class Bm25Source implements CandidateSource {
    /** {@code type: bm25}; {@code fields: {title: 2.0, text: 1.0}} (field to boost, the default shown). */
    public static final SourceType<Settings> TYPE = new SourceType<>("bm25", Set.of("fields"), Settings::read,
            (name, s, surface) -> new Bm25Source(name, surface.index(), s.fieldBoosts(), surface.filters()));

    /** @param fieldBoosts text field ({@code title}, {@code text}) to its BM25 boost */
    public record Settings(Map<String, Float> fieldBoosts) {
        static Settings read(SourceSettings in) {
            Map<String, Float> fields = new LinkedHashMap<>();
            Object raw = in.raw("fields", Map.of("title", 2.0, "text", 1.0));
            if (!(raw instanceof Map<?, ?> f)) {
                in.error("fields", "must be a mapping");
                return new Settings(Map.of());
            }
            f.forEach((field, boost) -> {
                if (!field.equals("title") && !field.equals("text")) in.error("fields", "unknown text field '" + field + "' (title, text)");
                else if (!(boost instanceof Number n) || n.doubleValue() <= 0) in.error("fields." + field, "boost must be a positive number");
                else fields.put((String) field, n.floatValue());
            });
            return new Settings(Map.copyOf(fields));
        }
    }

    private final String name;
    private final CatalogIndex index;
    private final Map<String, Float> fieldBoosts;
    private final List<AttributeFilter> pipelineFilters;

    public Bm25Source(String name, CatalogIndex index, Map<String, Float> fieldBoosts, List<AttributeFilter> pipelineFilters) {
        this.name = name;
        this.index = index;
        this.fieldBoosts = Map.copyOf(fieldBoosts);
        this.pipelineFilters = List.copyOf(pipelineFilters);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean appliesTo(RankingContext ctx) {
        return ctx.request().query() != null && !ctx.request().query().isBlank();
    }

    @Override
    public List<SourceHit> retrieve(RankingContext ctx, int limit) throws Exception {
        String text = ctx.request().query();
        if (text == null || text.isBlank()) return List.of();
        Query query = buildQuery(text, ctx.request().filters());
        if (query == null) return List.of();
        IndexSearcher searcher = index.acquire();
        try {
            return SearchHits.toHits(name, searcher, searcher.search(query, limit));
        } finally {
            index.release(searcher);
        }
    }

    /** @return null when the text analyzes to nothing (only stop words, punctuation) */
    Query buildQuery(String text, List<AttributeFilter> requestFilters) {
        QueryBuilder builder = new QueryBuilder(index.analyzer());
        BooleanQuery.Builder fields = new BooleanQuery.Builder();
        boolean any = false;
        for (var e : fieldBoosts.entrySet()) {
            Query q = builder.createBooleanQuery(e.getKey(), text, BooleanClause.Occur.SHOULD);
            if (q == null) continue;
            fields.add(e.getValue() == 1f ? q : new BoostQuery(q, e.getValue()), BooleanClause.Occur.SHOULD);
            any = true;
        }
        if (!any) return null;
        List<AttributeFilter> all = new ArrayList<>(pipelineFilters);
        all.addAll(requestFilters);
        Query filter = FilterQueries.of(all);
        if (filter == null) return fields.build();
        return new BooleanQuery.Builder()
                .add(fields.build(), BooleanClause.Occur.MUST)
                .add(filter, BooleanClause.Occur.FILTER)
                .build();
    }

    /** For the evaluation command: raw top docs for a text, no filters. */
    public TopDocs search(IndexSearcher searcher, String text, int limit) throws java.io.IOException {
        Query q = buildQuery(text, List.of());
        return q == null ? new TopDocs(new org.apache.lucene.search.TotalHits(0, org.apache.lucene.search.TotalHits.Relation.EQUAL_TO), new ScoreDoc[0])
                : searcher.search(q, limit);
    }
}
