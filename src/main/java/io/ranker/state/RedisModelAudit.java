package io.ranker.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ranker.scoring.ModelAudit;
import io.ranker.scoring.ModelAuditLog;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The model audit trail as a Redis stream (capped at about {@link RedisRoutingStore#AUDIT_CAP} entries): changes are
 * appended by the commit script itself; uploads and refusals here, tagged with the replica that made them.
 */
public final class RedisModelAudit implements ModelAudit {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final RedisStateClient redis;
    private final StateKeys keys;
    private final Clock clock;
    private final String replica;

    public RedisModelAudit(RedisStateClient redis, StateKeys keys, Clock clock, String replica) {
        this.redis = redis;
        this.keys = keys;
        this.clock = clock;
        this.replica = replica;
    }

    @Override
    public void record(String actor, String action, String surface, String version, String previous, String detail) {
        Map<String, Object> e = ModelAuditLog.entry(clock, actor, action, surface, version, previous, detail);
        e.put("replica", replica);
        redis.send(Request.cmd(Command.XADD).arg(keys.modelAudit()).arg("MAXLEN").arg("~").arg(RedisRoutingStore.AUDIT_CAP)
                .arg("*").arg("entry").arg(RedisRoutingStore.json(e)));
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> tail(int max) {
        Response r = redis.send(Request.cmd(Command.XREVRANGE).arg(keys.modelAudit()).arg("+").arg("-").arg("COUNT").arg(max));
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; r != null && i < r.size(); i++) {
            Response fields = r.get(i).get(1);
            for (int j = 0; j + 1 < fields.size(); j += 2) {
                if (!"entry".equals(fields.get(j).toString())) continue;
                try {
                    out.add(JSON.readValue(fields.get(j + 1).toString(), Map.class));
                } catch (IOException e) {
                    // an unreadable entry is skipped
                }
            }
        }
        Collections.reverse(out);
        return out;
    }
}
