package io.ranker.online;

import io.ranker.logging.FeedbackEvent;
import io.ranker.logging.FeedbackState;
import io.ranker.logging.ImpressionRecord;
import io.ranker.logging.LogJson;
import io.ranker.logging.LogSink;
import io.ranker.logging.RecentImpression;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Feedback's online state in Redis, shared by every replica:
 * <ul>
 *   <li>an event id is claimed with {@code SET <prefix>:feedback:event:<id> 1 NX PX <dedupe-ttl>}: the first
 *       submission anywhere wins, a retry sent to another replica within the ttl is a duplicate;</li>
 *   <li>each impression, once durable in the serving replica's log, is marked served with
 *       {@code SET <prefix>:served:<impressionId> <what feedback joins: surface, user, shown ids, arm> PX <served-ttl>}
 *       (sent, not awaited), and a replica receiving feedback for an impression it did not serve reads that marker
 *       ({@code GET}).</li>
 * </ul>
 * A claim waits at most the budget; when Redis does not answer, the event is taken as new (this replica's own window
 * still caught same-replica retries) and the miss is counted: feedback is never refused for the shared state.
 */
public final class RedisFeedbackState implements FeedbackState, LogSink {
    private final OnlineRedis redis;
    private final long dedupeTtlMillis;
    private final long servedTtlMillis;
    private final long budgetMillis;

    public RedisFeedbackState(OnlineRedis redis, Duration dedupeTtl, Duration servedTtl, Duration budget) {
        this.redis = redis;
        this.dedupeTtlMillis = Math.max(1, dedupeTtl.toMillis());
        this.servedTtlMillis = Math.max(1, servedTtl.toMillis());
        this.budgetMillis = Math.max(1, budget.toMillis());
    }

    private String eventKey(String eventId) {
        return redis.key("feedback", "event", eventId);
    }

    private String servedKey(String impressionId) {
        return redis.key("served", impressionId);
    }

    @Override
    public boolean claim(String eventId) {
        // SET NX answers OK when this submission took the id and nil (a null reply) when another one had it
        Boolean took = redis.await("claim", redis.send("claim", Request.cmd(Command.SET).arg(eventKey(eventId)).arg("1")
                .arg("NX").arg("PX").arg(dedupeTtlMillis)).thenApply(r -> r != null && "OK".equals(r.toString())), budgetMillis);
        return took == null || took; // no answer in time: counted, and the event is taken as new
    }

    @Override
    public void release(String eventId) {
        redis.send("release", Request.cmd(Command.DEL).arg(eventKey(eventId))).exceptionally(e -> {
            redis.failed("release");
            return null;
        });
    }

    @Override
    public CompletableFuture<RecentImpression> lookupServed(String impressionId) {
        if (impressionId == null) return CompletableFuture.completedFuture(null);
        return redis.send("lookup", Request.cmd(Command.GET).arg(servedKey(impressionId))).thenApply(r -> {
            if (r == null) return null;
            try {
                return LogJson.MAPPER.readValue(r.toBytes(), RecentImpression.class);
            } catch (IOException e) {
                redis.failed("lookup-decode");
                return null;
            }
        });
    }

    @Override
    public void impression(ImpressionRecord record, byte[] json, int offset, int length) {
        if (record.impressionId() == null) return;
        byte[] marker;
        try {
            marker = LogJson.MAPPER.writeValueAsBytes(RecentImpression.of(record));
        } catch (IOException e) {
            redis.failed("mark");
            return;
        }
        redis.send("mark", Request.cmd(Command.SET).arg(servedKey(record.impressionId())).arg(Buffer.buffer(marker))
                .arg("PX").arg(servedTtlMillis)).exceptionally(e -> {
                    redis.failed("mark");
                    return null;
                });
    }

    @Override
    public void feedback(FeedbackEvent event, byte[] json, int offset, int length) {
        // only impressions are marked
    }
}
