package io.ranker.catalog;

import io.ranker.core.Item;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts between the catalog's JSON form ({@code {"id","title","text","attributes":{..},"vector":[..]}})
 * and {@link Item}, validating as it goes. Used by {@code PUT /v1/items}, the {@code index} command and the
 * index's stored source, so that every entry point accepts exactly the same items.
 */
public final class ItemJson {
    public static final int MAX_ID_LENGTH = 256;
    public static final int MAX_TEXT_LENGTH = 100_000;
    /** Attributes of one item. */
    public static final int MAX_ATTRIBUTES = 100;
    /**
     * UTF-8 bytes of one string attribute value (or list element). Values are indexed as single Lucene terms, whose
     * hard limit is 32,766 bytes; longer text belongs in {@code text}, which is tokenized.
     */
    public static final int MAX_VALUE_BYTES = 4_096;
    /** Values of one list attribute. */
    public static final int MAX_LIST_VALUES = 1_000;

    private ItemJson() {
    }

    /** Thrown for an item that cannot be accepted; {@code pointer} is relative to the item (e.g. "/vector/3"). */
    public static final class InvalidItem extends Exception {
        private final String pointer;

        public InvalidItem(String pointer, String message) {
            super(message);
            this.pointer = pointer;
        }

        public String pointer() { return pointer; }
    }

    public static Item parse(JsonNode node, int vectorDimension) throws InvalidItem {
        if (node == null || !node.isObject()) throw new InvalidItem("", "an item must be a JSON object");
        var fields = node.fieldNames();
        while (fields.hasNext()) {
            String f = fields.next();
            if (!f.equals("id") && !f.equals("title") && !f.equals("text") && !f.equals("attributes") && !f.equals("vector")) {
                throw new InvalidItem("/" + f, "unknown field '" + f + "'; an item has id, title, text, attributes, vector");
            }
        }
        JsonNode id = node.get("id");
        if (id == null || !(id.isTextual() || id.isIntegralNumber())) throw new InvalidItem("/id", "id is required and must be a string");
        String idText = id.asText();
        if (idText.isBlank() || idText.length() > MAX_ID_LENGTH) {
            throw new InvalidItem("/id", "id must be 1 to " + MAX_ID_LENGTH + " characters");
        }
        String title = text(node, "title");
        String text = text(node, "text");
        Map<String, Object> attributes = attributes(node.get("attributes"));
        float[] vector = vector(node.get("vector"), vectorDimension);
        return new Item(idText, title, text, attributes, vector);
    }

    private static String text(JsonNode node, String field) throws InvalidItem {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return "";
        if (!v.isTextual()) throw new InvalidItem("/" + field, field + " must be a string");
        if (v.asText().length() > MAX_TEXT_LENGTH) throw new InvalidItem("/" + field, field + " is longer than " + MAX_TEXT_LENGTH + " characters");
        return v.asText();
    }

    private static Map<String, Object> attributes(JsonNode node) throws InvalidItem {
        if (node == null || node.isNull()) return Map.of();
        if (!node.isObject()) throw new InvalidItem("/attributes", "attributes must be an object of name -> value");
        if (node.size() > MAX_ATTRIBUTES) throw new InvalidItem("/attributes", "at most " + MAX_ATTRIBUTES + " attributes");
        Map<String, Object> out = new LinkedHashMap<>();
        var it = node.fields();
        while (it.hasNext()) {
            var e = it.next();
            String name = e.getKey();
            String at = "/attributes/" + name;
            if (!name.matches("[A-Za-z_][A-Za-z0-9_.-]{0,63}")) {
                throw new InvalidItem(at, "attribute names are letters, digits, '_', '.', '-' (at most 64, not starting with a digit)");
            }
            JsonNode v = e.getValue();
            if (v.isTextual()) out.put(name, value(v.asText(), at));
            else if (v.isBoolean()) out.put(name, v.asBoolean());
            else if (v.isNumber()) {
                double d = v.asDouble();
                if (!Double.isFinite(d)) throw new InvalidItem(at, "numbers must be finite");
                out.put(name, d);
            } else if (v.isArray()) {
                if (v.size() > MAX_LIST_VALUES) throw new InvalidItem(at, "at most " + MAX_LIST_VALUES + " values in a list attribute");
                List<String> values = new ArrayList<>(v.size());
                for (int i = 0; i < v.size(); i++) {
                    JsonNode x = v.get(i);
                    if (!x.isTextual()) throw new InvalidItem(at, "list attributes must contain strings only");
                    values.add(value(x.asText(), at + "/" + i));
                }
                out.put(name, List.copyOf(values));
            } else if (!v.isNull()) {
                throw new InvalidItem(at, "attribute values are strings, numbers, booleans or lists of strings");
            }
        }
        return out;
    }

    private static String value(String v, String at) throws InvalidItem {
        // cheap bound first: a char is at most 3 UTF-8 bytes (surrogate pairs: 4 bytes for 2 chars)
        if (v.length() * 3L > MAX_VALUE_BYTES && v.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_VALUE_BYTES) {
            throw new InvalidItem(at, "an attribute value is at most " + MAX_VALUE_BYTES + " bytes (UTF-8); put long text in 'text'");
        }
        return v;
    }

    private static float[] vector(JsonNode node, int dimension) throws InvalidItem {
        if (node == null || node.isNull()) return null;
        return VectorChecks.parse(node, dimension, "/vector");
    }

    public static ObjectNode toJson(ObjectMapper mapper, Item item) {
        ObjectNode n = mapper.createObjectNode();
        n.put("id", item.id());
        n.put("title", item.title());
        n.put("text", item.text());
        ObjectNode attrs = n.putObject("attributes");
        item.attributes().forEach((k, v) -> attrs.set(k, mapper.valueToTree(v)));
        if (item.vector() != null) {
            ArrayNode vec = n.putArray("vector");
            for (float f : item.vector()) vec.add(f);
        }
        return n;
    }
}
