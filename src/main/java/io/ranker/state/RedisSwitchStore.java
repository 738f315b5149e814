package io.ranker.state;

import io.ranker.explore.ExplorationSwitches;
import io.ranker.explore.SwitchStore;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The exploration switches in Redis, shared by every replica: one hash ({@code kill}, {@code paused:<surface>},
 * {@code revision}, {@code changedBy}, {@code changedAt}). A flip is one Lua script that sets the field, bumps the
 * {@code switches} revision counter and appends to the audit stream; last writer wins; a change notice follows.
 */
public final class RedisSwitchStore implements SwitchStore {
    static final String KIND = "switches";

    /** KEYS: switches hash, revisions hash, audit stream. ARGV: field, on (1|0), actor, at, deadline (ms), audit JSON. */
    private static final RedisStateClient.Script FLIP = RedisStateClient.Script.of("""
            local t = redis.call('TIME')
            if tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) > tonumber(ARGV[5]) then return -1 end
            if ARGV[1] == 'kill' then
              redis.call('HSET', KEYS[1], 'kill', ARGV[2])
            elseif ARGV[2] == '1' then
              redis.call('HSET', KEYS[1], ARGV[1], '1')
            else
              redis.call('HDEL', KEYS[1], ARGV[1])
            end
            local rev = redis.call('HINCRBY', KEYS[2], 'switches', 1)
            redis.call('HSET', KEYS[1], 'revision', rev, 'changedBy', ARGV[3], 'changedAt', ARGV[4])
            redis.call('XADD', KEYS[3], 'MAXLEN', '~', 10000, '*', 'entry', '{"revision":' .. rev .. ',' .. string.sub(ARGV[6], 2))
            return rev
            """);

    private final RedisStateClient redis;
    private final StateKeys keys;
    private final Clock clock;

    public RedisSwitchStore(RedisStateClient redis, StateKeys keys, Clock clock) {
        this.redis = redis;
        this.keys = keys;
        this.clock = clock;
    }

    @Override
    public ExplorationSwitches load() {
        Map<String, String> h = RedisStateClient.flatMap(redis.send(Request.cmd(Command.HGETALL).arg(keys.switches())));
        Set<String> paused = new TreeSet<>();
        h.forEach((k, v) -> {
            if (k.startsWith("paused:") && "1".equals(v)) paused.add(k.substring("paused:".length()));
        });
        return new ExplorationSwitches("1".equals(h.get("kill")), paused,
                h.containsKey("revision") ? Long.parseLong(h.get("revision")) : 0, h.get("changedBy"), h.get("changedAt"));
    }

    @Override
    public ExplorationSwitches set(String surface, boolean on, String actor) {
        String at = clock.instant().toString();
        Map<String, Object> audit = new LinkedHashMap<>();
        audit.put("time", at);
        audit.put("actor", actor);
        audit.put("switch", surface == null ? "kill-switch" : "surface:" + surface);
        audit.put(surface == null ? "engaged" : "paused", on);
        Response r = redis.eval(FLIP, List.of(keys.switches(), keys.revisions(), keys.switchAudit()),
                List.of(surface == null ? "kill" : "paused:" + surface, on ? "1" : "0", actor == null ? "" : actor, at,
                        String.valueOf(System.currentTimeMillis() + redis.timeout().toMillis()), RedisRoutingStore.json(audit)));
        if (r.toLong() < 0) {
            throw new StateUnavailableException("Redis ran the switch too late (after " + redis.timeout().toMillis() + " ms); it was not flipped");
        }
        StateChanges.announce(redis, keys, KIND);
        return load();
    }
}
