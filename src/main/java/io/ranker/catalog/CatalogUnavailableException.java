package io.ranker.catalog;

import io.ranker.core.DomainException;

/**
 * The shared catalog changelog cannot take or serve a request now (Redis unreachable, slow or refusing): catalog
 * writes answer 503 and may be retried; ranking goes on from the local index.
 */
public class CatalogUnavailableException extends DomainException {
    private final int appended;

    public CatalogUnavailableException(String detail) {
        this(detail, 0);
    }

    /** @param appended items of the failed call that were appended before it failed (a call split in chunks) */
    public CatalogUnavailableException(String detail, int appended) {
        super(Kind.UNAVAILABLE, "Catalog changelog unavailable", detail);
        this.appended = appended;
    }

    public int appended() { return appended; }
}
