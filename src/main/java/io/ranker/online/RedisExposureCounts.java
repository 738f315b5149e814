package io.ranker.online;

import io.ranker.explore.ExposureCounts;
import io.ranker.explore.LocalExposureCounts;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Exposure counts shared by every replica: one Redis hash per surface and period window,
 * {@code <prefix>:exposure:{<surface>}:<periodMillis>:<window index>}, field = item id, value = lists that showed it.
 * A served list adds one {@code HINCRBY} per shown item and a {@code PEXPIRE} of two periods, in one pipelined batch
 * that is not awaited (one key: one slot on a Cluster). The limit check is one {@code HMGET} of the candidates,
 * awaited at most the budget; when Redis does not answer in time this replica's own counts (kept alongside) decide,
 * and the miss is counted.
 *
 * <p>Bound: requests that read the counts while an item's last allowed showings are in flight on other replicas can
 * all see it under the limit, so the limit can be exceeded by about the number of concurrent requests showing that
 * item; sequential traffic never exceeds it.
 */
public final class RedisExposureCounts implements ExposureCounts {
    private final OnlineRedis redis;
    private final long budgetMillis;
    private final LongSupplier clock;
    private final LocalExposureCounts local;

    public RedisExposureCounts(OnlineRedis redis, Duration budget) {
        this(redis, budget, System::currentTimeMillis);
    }

    RedisExposureCounts(OnlineRedis redis, Duration budget, LongSupplier clock) {
        this.redis = redis;
        this.budgetMillis = Math.max(1, budget.toMillis());
        this.clock = clock;
        this.local = new LocalExposureCounts(clock);
    }

    private String key(String surface, long periodMillis) {
        // the hash tag keeps a surface's windows on one Cluster slot
        return redis.key("exposure", "{" + surface + "}", Long.toString(periodMillis),
                Long.toString(Math.floorDiv(clock.getAsLong(), periodMillis)));
    }

    @Override
    public Set<String> atLimit(String surface, long periodMillis, int limit, Collection<String> ids) {
        if (ids.isEmpty()) return Set.of();
        List<String> order = new ArrayList<>(ids);
        Request hmget = Request.cmd(Command.HMGET).arg(key(surface, periodMillis));
        for (String id : order) hmget.arg(id);
        Response r = redis.await("exposure-read", redis.send("exposure-read", hmget), budgetMillis);
        if (r == null) return local.atLimit(surface, periodMillis, limit, ids);
        Set<String> out = null;
        for (int i = 0; i < order.size() && i < r.size(); i++) {
            Response v = r.get(i);
            if (v != null && v.toLong() >= limit) {
                if (out == null) out = new HashSet<>();
                out.add(order.get(i));
            }
        }
        return out == null ? Set.of() : out;
    }

    @Override
    public void add(String surface, long periodMillis, List<String> shownIds) {
        if (shownIds.isEmpty()) return;
        local.add(surface, periodMillis, shownIds);
        String key = key(surface, periodMillis);
        List<Request> batch = new ArrayList<>(shownIds.size() + 1);
        for (String id : shownIds) batch.add(Request.cmd(Command.HINCRBY).arg(key).arg(id).arg(1));
        batch.add(Request.cmd(Command.PEXPIRE).arg(key).arg(2 * periodMillis));
        redis.batch("exposure-add", batch).exceptionally(e -> {
            redis.failed("exposure-add");
            return null;
        });
    }
}
