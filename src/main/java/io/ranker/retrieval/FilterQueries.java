package io.ranker.retrieval;

import io.ranker.core.AttributeFilter;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.util.BytesRef;

import java.util.List;

/** Turns attribute filters into one Lucene filter query (all must hold), shared by every source. */
public final class FilterQueries {
    private FilterQueries() {
    }

    /** @return null when there is nothing to filter */
    public static Query of(List<AttributeFilter> filters) {
        if (filters.isEmpty()) return null;
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        for (AttributeFilter f : filters) b.add(one(f), BooleanClause.Occur.FILTER);
        return b.build();
    }

    private static Query one(AttributeFilter f) {
        if (f.isRange()) {
            double lo = f.min() == null ? Double.NEGATIVE_INFINITY : f.min();
            double hi = f.max() == null ? Double.POSITIVE_INFINITY : f.max();
            return DoublePoint.newRangeQuery("n." + f.attribute(), lo, hi);
        }
        return new TermInSetQuery("a." + f.attribute(), f.values().stream().map(BytesRef::new).toList());
    }
}
