package io.ranker.features;

/**
 * The store's key layout (the same in Redis and in memory):
 * <pre>
 *   f:{&lt;bucket&gt;}:i:&lt;itemId&gt;   item features   (binary, {@link FeatureCodec})
 *   f:{&lt;bucket&gt;}:c:&lt;itemId&gt;   item counters   (binary, {@link CounterCodec}, updated by a Lua script)
 *   f:{&lt;bucket&gt;}:u:&lt;userId&gt;   user features   (binary, {@link FeatureCodec})
 *   bucket = CRC16(UTF-8 id) mod buckets   (CRC16-CCITT/XModem, as Redis Cluster uses)
 * </pre>
 * Why buckets: Redis Cluster serves a multi-key read (MGET) only when all keys share one hash slot. The braces
 * make the bucket the hash tag, so an item's features and its counters share a slot, and a request's keys fall
 * into at most {@code buckets} slot groups: one MGET per group, all sent at once (one network round trip per
 * node, in parallel). On a single node all keys go in one MGET. More buckets spread load over more masters
 * (at most {@code buckets} masters hold features); fewer buckets mean fewer, larger MGETs. Changing the number of
 * buckets changes every key, so it is fixed per deployment (re-load features after changing it).
 */
public final class FeatureKeys {
    public static final int DEFAULT_BUCKETS = 64;

    private final int buckets;

    public FeatureKeys(int buckets) {
        if (buckets < 1 || buckets > 16384) throw new IllegalArgumentException("buckets must be in 1..16384");
        this.buckets = buckets;
    }

    public int buckets() { return buckets; }

    public int bucket(String id) {
        return Crc16.of(id) % buckets;
    }

    /** Item features and counters keys of one item, sharing one bucket computation (the request path's hot loop). */
    public void itemAndCounters(String itemId, java.util.List<String> out, boolean features, boolean counters) {
        String prefix = "f:{" + bucket(itemId) + "}:";
        if (features) out.add(prefix + "i:" + itemId);
        if (counters) out.add(prefix + "c:" + itemId);
    }

    public String item(String itemId) {
        return "f:{" + bucket(itemId) + "}:i:" + itemId;
    }

    public String counters(String itemId) {
        return "f:{" + bucket(itemId) + "}:c:" + itemId;
    }

    public String user(String userId) {
        return "f:{" + bucket(userId) + "}:u:" + userId;
    }

    /** The user's recent history (what was shown or clicked, for {@code exclude_seen} rules): a sorted set. */
    public String seen(String userId) {
        return "f:{" + bucket(userId) + "}:s:" + userId;
    }
}
