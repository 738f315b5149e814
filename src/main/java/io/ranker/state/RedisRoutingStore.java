package io.ranker.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ranker.scoring.ModelAudit;
import io.ranker.scoring.ModelsConfig;
import io.ranker.scoring.RoutingStore;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Model routing in Redis, shared by every replica: one hash field per surface ("revision:routing JSON"), a rollback
 * stack per surface, the audit stream and the set of registered versions, all in the state's hash slot. A change is a
 * Lua compare-and-set on the surface's revision that also checks every named version is registered, moves the
 * rollback stack, appends the audit entry and bumps the {@code models} revision counter; then a change notice goes
 * out. A script that Redis runs after the caller gave up (a paused server) changes nothing.
 */
public final class RedisRoutingStore implements RoutingStore {
    static final String KIND = "models";
    static final int STACK_CAP = 50;
    static final int AUDIT_CAP = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * KEYS: routing hash, previous list, revisions hash, audit stream, versions zset. ARGV: surface, expected revision,
     * routing JSON, version to push ('' none), entries to pop, deadline (ms), audit JSON, audit cap, stack cap,
     * then the versions the routing names. Returns {ok, revision} | {stale} | {unknown, version} | {expired}.
     */
    private static final RedisStateClient.Script COMMIT = RedisStateClient.Script.of("""
            local t = redis.call('TIME')
            if tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) > tonumber(ARGV[6]) then return {'expired'} end
            local cur = redis.call('HGET', KEYS[1], ARGV[1])
            local rev = 0
            if cur then rev = tonumber(string.match(cur, '^(%d+):')) end
            if rev ~= tonumber(ARGV[2]) then return {'stale'} end
            for i = 10, #ARGV do
              if not redis.call('ZSCORE', KEYS[5], ARGV[i]) then return {'unknown', ARGV[i]} end
            end
            local next = redis.call('HINCRBY', KEYS[3], 'models', 1)
            redis.call('HSET', KEYS[1], ARGV[1], next .. ':' .. ARGV[3])
            if ARGV[4] ~= '' then
              if redis.call('LINDEX', KEYS[2], -1) ~= ARGV[4] then redis.call('RPUSH', KEYS[2], ARGV[4]) end
              redis.call('LTRIM', KEYS[2], -tonumber(ARGV[9]), -1)
            end
            for i = 1, tonumber(ARGV[5]) do redis.call('RPOP', KEYS[2]) end
            redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[8], '*', 'entry', '{"revision":' .. next .. ',' .. string.sub(ARGV[7], 2))
            return {'ok', tostring(next)}
            """);

    private final RedisStateClient redis;
    private final StateKeys keys;
    private final RedisModelAudit audit;

    public RedisRoutingStore(RedisStateClient redis, StateKeys keys, RedisModelAudit audit) {
        this.redis = redis;
        this.keys = keys;
        this.audit = audit;
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public ModelAudit audit() {
        return audit;
    }

    @Override
    public String describe() {
        return "redis " + (redis.isCluster() ? "cluster " : "") + redis.hosts() + " " + keys.modelRouting();
    }

    @Override
    public Map<String, SurfaceRouting> load() {
        Map<String, SurfaceRouting> out = new LinkedHashMap<>();
        RedisStateClient.flatMap(redis.send(Request.cmd(Command.HGETALL).arg(keys.modelRouting()))).forEach((surface, v) -> {
            int colon = v.indexOf(':');
            try {
                out.put(surface, new SurfaceRouting(JSON.readValue(v.substring(colon + 1), ModelsConfig.SurfaceModels.class),
                        Long.parseLong(v.substring(0, colon))));
            } catch (IOException e) {
                throw new UncheckedIOException("unreadable routing of " + surface + " in the shared store", e);
            }
        });
        return out;
    }

    @Override
    public long commit(String surface, ModelsConfig.SurfaceModels next, long expectedRevision, String pushPrevious, int pop,
                       Map<String, Object> entry) {
        Set<String> named = new LinkedHashSet<>(new ModelsConfig(Map.of(surface, next)).referencedVersions());
        named.removeIf(v -> v == null || v.isBlank());
        List<String> args = new ArrayList<>(List.of(surface, String.valueOf(expectedRevision), json(next),
                pushPrevious == null ? "" : pushPrevious, String.valueOf(pop),
                String.valueOf(System.currentTimeMillis() + redis.timeout().toMillis()), json(entry),
                String.valueOf(AUDIT_CAP), String.valueOf(STACK_CAP)));
        args.addAll(named);
        Response r = redis.eval(COMMIT, List.of(keys.modelRouting(), keys.modelPrevious(surface), keys.revisions(),
                keys.modelAudit(), keys.modelVersions()), args);
        switch (r.get(0).toString()) {
            case "ok" -> {
                StateChanges.announce(redis, keys, KIND);
                return Long.parseLong(r.get(1).toString());
            }
            case "stale" -> throw new StaleRoutingException(surface);
            case "unknown" -> throw new io.ranker.scoring.ModelRejectedException("model " + r.get(1)
                    + " is not registered in the shared store; upload it first");
            default -> throw new StateUnavailableException("Redis ran the change too late (after "
                    + redis.timeout().toMillis() + " ms); it was not made");
        }
    }

    @Override
    public List<String> previous(String surface) {
        return RedisStateClient.strings(redis.send(Request.cmd(Command.LRANGE).arg(keys.modelPrevious(surface)).arg(0).arg(-1)));
    }

    static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
