package io.ranker.catalog;

import io.ranker.core.Item;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A fingerprint of a catalog's content: SHA-256 over every item in id order (id, title, text, attributes in name
 * order with their types, the vector's exact float bits). Two replicas hold the same catalog exactly when their
 * digests match; insertion order, segment layout and index history do not matter.
 */
public record CatalogDigest(int items, String sha256) {
    private static final byte SEP = 0;

    public static CatalogDigest of(Collection<Item> catalog) {
        List<Item> sorted = new ArrayList<>(catalog);
        sorted.sort((a, b) -> a.id().compareTo(b.id()));
        MessageDigest sha = newSha256();
        for (Item item : sorted) add(sha, item);
        return new CatalogDigest(sorted.size(), HexFormat.of().formatHex(sha.digest()));
    }

    private static void add(MessageDigest sha, Item item) {
        text(sha, "i", item.id());
        text(sha, "t", item.title());
        text(sha, "x", item.text());
        for (Map.Entry<String, Object> a : new TreeMap<>(item.attributes()).entrySet()) {
            Object v = a.getValue();
            if (v instanceof List<?> list) {
                text(sha, "al", a.getKey());
                sha.update(ByteBuffer.allocate(4).putInt(list.size()).array());
                for (Object x : list) text(sha, "e", String.valueOf(x));
            } else {
                text(sha, v instanceof Number ? "an" : v instanceof Boolean ? "ab" : "as", a.getKey());
                text(sha, "=", String.valueOf(v));
            }
        }
        float[] vector = item.vector();
        if (vector != null) {
            ByteBuffer bits = ByteBuffer.allocate(4 * vector.length);
            for (float f : vector) bits.putInt(Float.floatToIntBits(f));
            sha.update((byte) 'v');
            sha.update(bits.array());
        }
        sha.update((byte) '\n');
    }

    private static void text(MessageDigest sha, String tag, String value) {
        sha.update(tag.getBytes(StandardCharsets.UTF_8));
        sha.update(SEP);
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        sha.update(ByteBuffer.allocate(4).putInt(b.length).array());
        sha.update(b);
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
