package io.ranker.features;

import io.ranker.policy.SeenItems;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.jboss.logging.Logger;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Users' recent history for {@code exclude_seen} rules, in Redis next to their features, so every replica sees
 * what any replica showed. One sorted set per user ({@link FeatureKeys#seen}: members {@code kind|itemId}, score
 * = time of the latest such event), trimmed to the newest {@code maxPerUser} events and expiring
 * {@code retentionMillis} after the user's last event. Writes are pipelined and not awaited (a served list never
 * waits for its history); a read waits at most {@code budgetMillis} and, like the feature read, skips Redis while
 * the feature store's circuit breaker is open: then the rule excludes nothing rather than delay the request.
 */
public final class RedisSeenItems implements SeenItems {
    private static final Logger LOG = Logger.getLogger(RedisSeenItems.class);
    /** How long a user's history outlives her last event: longer than any sensible exclude_seen window. */
    public static final long DEFAULT_RETENTION_MILLIS = 30L * 24 * 3_600_000;

    private final RedisFeatureStore store;
    private final int maxPerUser;
    private final long retentionMillis;
    private final long budgetMillis;
    private final CircuitBreaker breaker;
    private final LongAdder readFailures = new LongAdder();

    public RedisSeenItems(RedisFeatureStore store, int maxPerUser, long retentionMillis, long budgetMillis,
                          CircuitBreaker breaker) {
        if (maxPerUser < 1) throw new IllegalArgumentException("maxPerUser must be >= 1");
        this.store = store;
        this.maxPerUser = maxPerUser;
        this.retentionMillis = retentionMillis;
        this.budgetMillis = budgetMillis;
        this.breaker = breaker;
    }

    @Override
    public void record(String userId, String itemId, String kind, long atMillis) {
        if (itemId != null) recordAll(userId, java.util.List.of(itemId), kind, atMillis);
    }

    /** A served list's items in one ZADD (plus one trim and one expiry): three pipelined commands per list. */
    @Override
    public void recordAll(String userId, java.util.List<String> itemIds, String kind, long atMillis) {
        if (userId == null || itemIds == null || itemIds.isEmpty() || kind == null) return;
        String key = store.keys().seen(userId);
        try {
            Request zadd = Request.cmd(Command.ZADD).arg(key);
            for (String itemId : itemIds) {
                if (itemId != null) zadd.arg(atMillis).arg(kind + "|" + itemId);
            }
            store.command(zadd);
            // keep the newest maxPerUser: ranks 0 .. -(maxPerUser + 1) are the oldest beyond the cap
            store.command(Request.cmd(Command.ZREMRANGEBYRANK).arg(key).arg(0).arg(-(maxPerUser + 1)));
            store.command(Request.cmd(Command.PEXPIRE).arg(key).arg(retentionMillis));
        } catch (RuntimeException e) {
            LOG.debugf(e, "recording seen history for %s failed", userId);
        }
    }

    @Override
    public Set<String> seenSince(String userId, long sinceMillis, Set<String> kinds) {
        if (userId == null || userId.isBlank()) return Set.of();
        if (breaker != null && breaker.isOpen()) {
            readFailures.increment();
            return Set.of();
        }
        Response r;
        try {
            r = store.command(Request.cmd(Command.ZRANGEBYSCORE).arg(store.keys().seen(userId)).arg(sinceMillis).arg("+inf"))
                    .get(budgetMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            readFailures.increment();
            return Set.of();
        } catch (Exception e) {
            readFailures.increment();
            LOG.debugf("seen history of %s not read within %d ms: %s", userId, budgetMillis, e.toString());
            return Set.of();
        }
        if (r == null || r.size() == 0) return Set.of();
        Set<String> out = new HashSet<>();
        for (Response member : r) {
            String m = member.toString();
            int bar = m.indexOf('|');
            if (bar <= 0) continue;
            if (kinds.isEmpty() || kinds.contains(m.substring(0, bar))) out.add(m.substring(bar + 1));
        }
        return out;
    }

    /** Reads that found Redis slow, down or the breaker open (the rule then excluded nothing). */
    public long readFailures() {
        return readFailures.sum();
    }
}
