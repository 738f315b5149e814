package io.ranker.catalog.changelog;

import io.ranker.catalog.CatalogUnavailableException;
import io.ranker.catalog.CatalogWriter;
import io.ranker.core.Item;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Catalog writes with the shared store: validated items become changelog entries, appended in one atomic script per
 * chunk (at most {@value #MAX_CHUNK_BYTES} bytes), and acknowledged once Redis has them. This replica's own index
 * changes only when its {@link ChangelogTailer} applies them, like every other replica's.
 */
public final class ChangelogWriter implements CatalogWriter {
    static final int MAX_CHUNK_BYTES = 4 << 20;

    private final RedisChangelog log;
    private final ChangelogTailer tailer;
    private final String source;

    /** @param source who writes (the replica id, or "cli"), kept in every entry */
    public ChangelogWriter(RedisChangelog log, ChangelogTailer tailer, String source) {
        this.log = log;
        this.tailer = tailer;
        this.source = source;
    }

    @Override
    public Ack upsert(List<Item> items) {
        if (items.isEmpty()) return new Ack(null);
        List<List<String>> chunk = new ArrayList<>();
        int bytes = 0, appended = 0;
        StreamId last = null;
        for (Item item : items) {
            List<String> entry = ChangelogEntry.upsert(item, source);
            int size = entry.stream().mapToInt(String::length).sum();
            if (!chunk.isEmpty() && bytes + size > MAX_CHUNK_BYTES) {
                last = append(chunk, appended);
                appended += chunk.size();
                chunk = new ArrayList<>();
                bytes = 0;
            }
            chunk.add(entry);
            bytes += size;
        }
        last = append(chunk, appended);
        return new Ack(last.toString());
    }

    private StreamId append(List<List<String>> chunk, int appendedBefore) {
        try {
            List<StreamId> ids = log.append(chunk);
            return ids.get(ids.size() - 1);
        } catch (CatalogUnavailableException e) {
            throw new CatalogUnavailableException(e.getMessage(), appendedBefore);
        }
    }

    @Override
    public Deleted delete(String id, Duration outcomeWait) {
        StreamId entry = log.append(List.of(ChangelogEntry.delete(id, source))).get(0);
        try {
            if (tailer.awaitApplied(entry, outcomeWait)) return new Deleted(tailer.applier().deleteOutcome(entry), entry.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new Deleted(null, entry.toString());
    }

    @Override
    public boolean awaitVisible(Ack ack, Duration timeout) throws InterruptedException {
        if (ack.position() == null) return true;
        return tailer.awaitVisible(StreamId.parse(ack.position()), timeout);
    }

    @Override
    public boolean shared() { return true; }
}
