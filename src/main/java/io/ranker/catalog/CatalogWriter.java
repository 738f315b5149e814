package io.ranker.catalog;

import io.ranker.core.Item;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Where catalog writes go once validated: straight into this node's index ({@link LocalCatalogWriter}, the
 * single-node mode), or into the shared changelog that every replica applies to its own index (with
 * {@code ranking.state.store=redis}).
 */
public interface CatalogWriter {
    /**
     * A write taken: {@code position} is the changelog entry of its last item (null when written locally, where it is
     * applied at once).
     */
    record Ack(String position) {
        public static final Ack LOCAL = new Ack(null);
    }

    /**
     * What a delete did. {@code existed} says whether the item was in the catalog just before the delete (null when
     * not known yet: the replica did not apply it within the wait).
     */
    record Deleted(Boolean existed, String position) {
    }

    /**
     * Adds or replaces the items (already validated). Acknowledged means durable: committed to the local index, or
     * appended to the changelog (as durable as Redis' persistence makes it).
     *
     * @throws CatalogUnavailableException when the changelog cannot take it; nothing of this call was written
     */
    Ack upsert(List<Item> items) throws IOException;

    /**
     * Deletes the item; with the changelog, waits up to {@code outcomeWait} for this replica to apply the delete, so
     * it can tell whether the item existed at that point of the changelog (the same answer on every replica).
     */
    Deleted delete(String id, Duration outcomeWait) throws IOException;

    /** Waits until a search on this replica sees the write (read-your-writes); false on timeout. */
    boolean awaitVisible(Ack ack, Duration timeout) throws IOException, InterruptedException;

    /** Whether writes go to the shared changelog. */
    boolean shared();
}
