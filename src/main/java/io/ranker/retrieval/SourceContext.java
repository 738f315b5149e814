package io.ranker.retrieval;

import io.ranker.catalog.CatalogIndex;
import io.ranker.core.AttributeFilter;

import java.util.List;

/** What a surface offers the sources it builds (implemented by the pipeline's surface factory). */
public interface SourceContext {
    CatalogIndex index();

    /** The surface's filters, applied inside every source's search. */
    List<AttributeFilter> filters();

    /**
     * The user's stored vector {@code feature}.
     *
     * @throws IllegalArgumentException when the feature schema has no user vector of that name
     */
    UserVectors userVectors(String feature);

    /** The longest a source may wait for the user's feature row (within the retrieval budget). */
    long userRowBudgetMillis();
}
