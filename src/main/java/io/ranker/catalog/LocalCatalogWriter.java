package io.ranker.catalog;

import io.ranker.core.Item;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** The single-node mode: writes go straight into this node's index and are committed at once. */
public final class LocalCatalogWriter implements CatalogWriter {
    private final CatalogIndex index;

    public LocalCatalogWriter(CatalogIndex index) {
        this.index = index;
    }

    @Override
    public Ack upsert(List<Item> items) throws IOException {
        index.upsert(items);
        return Ack.LOCAL;
    }

    @Override
    public Deleted delete(String id, Duration outcomeWait) throws IOException {
        return new Deleted(index.delete(id), null);
    }

    /** Refreshes the searchers now instead of within the refresh interval. */
    @Override
    public boolean awaitVisible(Ack ack, Duration timeout) throws IOException {
        index.refresh();
        return true;
    }

    @Override
    public boolean shared() { return false; }
}
