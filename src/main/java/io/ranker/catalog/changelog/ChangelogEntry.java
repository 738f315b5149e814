package io.ranker.catalog.changelog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ranker.catalog.ItemJson;
import io.ranker.core.Item;

import java.util.List;
import java.util.Map;

/**
 * The changelog's entry format, one catalog change per stream entry:
 * <pre>
 *   v 1  op upsert  id &lt;item id&gt;  item &lt;the item's JSON, as PUT /v1/items takes it&gt;  src &lt;replica id&gt;
 *   v 1  op delete  id &lt;item id&gt;  src &lt;replica id&gt;
 * </pre>
 * Readable with {@code XRANGE}. Decoding depends only on the entry and the catalog's vector dimension (which every
 * replica of one changelog shares, see {@link RedisChangelog#meta}), so an entry that cannot be decoded is refused
 * the same way by every replica.
 */
public final class ChangelogEntry {
    static final String FORMAT = "v", OP = "op", ID = "id", ITEM = "item", SOURCE = "src";
    static final String CURRENT_FORMAT = "1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ChangelogEntry() {
    }

    /** One entry as read from the stream. */
    public record Raw(StreamId id, Map<String, String> fields) {
    }

    /** A decoded change: an upsert ({@code item} set) or a delete ({@code item} null). */
    public record Change(StreamId entry, String itemId, Item item) {
        public boolean isDelete() { return item == null; }
    }

    /** An entry no replica can apply: why, in words for the log and the status endpoint. */
    public static final class Unreadable extends Exception {
        public Unreadable(String message) {
            super(message);
        }
    }

    /** The fields of an upsert entry (the item must have been validated). */
    public static List<String> upsert(Item item, String source) {
        try {
            String json = JSON.writeValueAsString(ItemJson.toJson(JSON, item));
            return List.of(FORMAT, CURRENT_FORMAT, OP, "upsert", ID, item.id(), ITEM, json, SOURCE, source);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an item always serialises", e);
        }
    }

    public static List<String> delete(String itemId, String source) {
        return List.of(FORMAT, CURRENT_FORMAT, OP, "delete", ID, itemId, SOURCE, source);
    }

    public static Change decode(Raw raw, int vectorDimension) throws Unreadable {
        Map<String, String> f = raw.fields();
        String format = f.get(FORMAT);
        if (!CURRENT_FORMAT.equals(format)) {
            throw new Unreadable("entry format " + (format == null ? "missing" : "'" + format + "'") + "; this version reads format "
                    + CURRENT_FORMAT + " (written by a newer Ranker, or not by Ranker)");
        }
        String id = f.get(ID);
        if (id == null || id.isBlank() || id.length() > ItemJson.MAX_ID_LENGTH) throw new Unreadable("no valid item id in field '" + ID + "'");
        String op = f.get(OP);
        if ("delete".equals(op)) return new Change(raw.id(), id, null);
        if (!"upsert".equals(op)) throw new Unreadable("unknown op '" + op + "' (upsert or delete)");
        String json = f.get(ITEM);
        if (json == null) throw new Unreadable("upsert without an '" + ITEM + "' field");
        Item item;
        try {
            JsonNode node = JSON.readTree(json);
            item = ItemJson.parse(node, vectorDimension);
        } catch (JsonProcessingException e) {
            throw new Unreadable("item is not JSON: " + e.getOriginalMessage());
        } catch (ItemJson.InvalidItem e) {
            throw new Unreadable("invalid item at " + (e.pointer().isEmpty() ? "/" : e.pointer()) + ": " + e.getMessage());
        }
        if (!item.id().equals(id)) throw new Unreadable("the item's id '" + item.id() + "' differs from the entry's '" + id + "'");
        return new Change(raw.id(), id, item);
    }
}
