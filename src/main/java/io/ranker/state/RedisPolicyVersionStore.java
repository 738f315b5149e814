package io.ranker.state;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ranker.policy.PolicyActivation;
import io.ranker.policy.PolicyVersion;
import io.ranker.policy.PolicyVersionStore;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Policy versions and live pointers in Redis, shared by every replica ({@link StateKeys}): a version is one
 * immutable value (metadata, rule text, the text's SHA-256), stored with SET NX; a surface's live pointer is
 * "revision:version" in one hash; activating is a Lua compare-and-set on the surface's revision that also appends
 * the history entry and bumps the {@code policies} revision counter, all in one hash slot. After a commit a change
 * notice is published; a replica that misses it finds the change at its next revision check.
 */
public final class RedisPolicyVersionStore implements PolicyVersionStore {
    static final String KIND = "policies";
    /** History entries kept per surface (the newest); far more than anyone reads. */
    static final int HISTORY_CAP = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private static final RedisStateClient.Script SAVE = RedisStateClient.Script.of("""
            if redis.call('SET', KEYS[1], ARGV[1], 'NX') then
              redis.call('RPUSH', KEYS[2], ARGV[2])
              return 1
            end
            return 0
            """);

    /**
     * KEYS: live hash, history list, revisions hash, version key. ARGV: surface, expected revision, version,
     * activation JSON (an object), deadline (ms, Redis clock), history cap. Returns {ok, revision} | {stale, current}
     * | {missing} | {expired}.
     */
    private static final RedisStateClient.Script ACTIVATE = RedisStateClient.Script.of("""
            local t = redis.call('TIME')
            if tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) > tonumber(ARGV[5]) then return {'expired'} end
            local cur = redis.call('HGET', KEYS[1], ARGV[1])
            local rev = 0
            if cur then rev = tonumber(string.match(cur, '^(%d+):')) end
            if rev ~= tonumber(ARGV[2]) then return {'stale', cur or ''} end
            if redis.call('EXISTS', KEYS[4]) == 0 then return {'missing'} end
            local next = redis.call('HINCRBY', KEYS[3], 'policies', 1)
            redis.call('HSET', KEYS[1], ARGV[1], next .. ':' .. ARGV[3])
            redis.call('RPUSH', KEYS[2], '{"revision":' .. next .. ',' .. string.sub(ARGV[4], 2))
            redis.call('LTRIM', KEYS[2], -tonumber(ARGV[6]), -1)
            return {'ok', tostring(next)}
            """);

    private final RedisStateClient redis;
    private final StateKeys keys;

    public RedisPolicyVersionStore(RedisStateClient redis, StateKeys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public PolicyVersion save(PolicyVersion meta, String yaml) {
        ObjectNode doc = JSON.createObjectNode();
        doc.set("meta", JSON.valueToTree(meta));
        doc.put("yaml", yaml);
        doc.put("sha256", Hashes.sha256(yaml));
        Response r = redis.eval(SAVE, List.of(keys.policyVersion(meta.surface(), meta.version()), keys.policyVersions(meta.surface())),
                List.of(doc.toString(), meta.version()));
        if (r.toInteger() == 1) return meta;
        return meta(meta.surface(), meta.version()).orElse(meta);
    }

    private Optional<JsonNode> stored(String surface, String version) {
        Response r = redis.send(Request.cmd(Command.GET).arg(keys.policyVersion(surface, version)));
        if (r == null) return Optional.empty();
        return Optional.of(parse(r.toString()));
    }

    @Override
    public Optional<PolicyVersion> meta(String surface, String version) {
        return stored(surface, version).map(d -> JSON.convertValue(d.get("meta"), PolicyVersion.class));
    }

    @Override
    public Optional<String> yaml(String surface, String version) {
        return stored(surface, version).map(d -> {
            String yaml = d.path("yaml").asText();
            if (!Hashes.sha256(yaml).equals(d.path("sha256").asText())) {
                throw new IllegalStateException("stored policy version " + surface + "/" + version
                        + " does not match its recorded SHA-256: refusing to serve it");
            }
            return yaml;
        });
    }

    @Override
    public List<PolicyVersion> versions(String surface) {
        List<String> names = RedisStateClient.strings(redis.send(Request.cmd(Command.LRANGE).arg(keys.policyVersions(surface)).arg(0).arg(-1)));
        if (names.isEmpty()) return List.of();
        Request mget = Request.cmd(Command.MGET);
        for (String v : names) mget.arg(keys.policyVersion(surface, v));
        List<PolicyVersion> out = new ArrayList<>();
        for (String doc : RedisStateClient.strings(redis.send(mget))) {
            if (doc != null) out.add(JSON.convertValue(parse(doc).get("meta"), PolicyVersion.class));
        }
        // the same order as the file store: by first activation, then by time
        Map<String, Integer> firstSeen = new HashMap<>();
        List<PolicyActivation> history = history(surface);
        for (int i = 0; i < history.size(); i++) firstSeen.putIfAbsent(history.get(i).version(), i);
        out.sort(Comparator.<PolicyVersion>comparingInt(v -> firstSeen.getOrDefault(v.version(), Integer.MAX_VALUE))
                .thenComparing(PolicyVersion::publishedAt).thenComparing(PolicyVersion::version));
        return out;
    }

    @Override
    public List<PolicyActivation> history(String surface) {
        List<PolicyActivation> out = new ArrayList<>();
        for (String line : RedisStateClient.strings(redis.send(Request.cmd(Command.LRANGE).arg(keys.policyHistory(surface)).arg(0).arg(-1)))) {
            if (line == null) continue;
            try {
                out.add(JSON.readValue(line, PolicyActivation.class));
            } catch (IOException e) {
                throw new UncheckedIOException("unreadable history entry of " + surface + ": " + line, e);
            }
        }
        return out;
    }

    @Override
    public Map<String, LivePointer> live() {
        Map<String, LivePointer> out = new TreeMap<>();
        RedisStateClient.flatMap(redis.send(Request.cmd(Command.HGETALL).arg(keys.policyLive())))
                .forEach((surface, v) -> out.put(surface, pointer(v)));
        return out;
    }

    @Override
    public Optional<LivePointer> live(String surface) {
        Response r = redis.send(Request.cmd(Command.HGET).arg(keys.policyLive()).arg(surface));
        return r == null ? Optional.empty() : Optional.of(pointer(r.toString()));
    }

    static LivePointer pointer(String revisionColonVersion) {
        if (revisionColonVersion == null || revisionColonVersion.isEmpty()) return null;
        int colon = revisionColonVersion.indexOf(':');
        return new LivePointer(revisionColonVersion.substring(colon + 1), Long.parseLong(revisionColonVersion.substring(0, colon)));
    }

    @Override
    public LivePointer activate(String surface, PolicyActivation activation, long expectedRevision) {
        // the script puts the revision it assigns first in the object
        ObjectNode n = JSON.valueToTree(activation);
        n.remove("revision");
        String json = n.toString();
        Response r = redis.eval(ACTIVATE,
                List.of(keys.policyLive(), keys.policyHistory(surface), keys.revisions(), keys.policyVersion(surface, activation.version())),
                List.of(surface, String.valueOf(expectedRevision), activation.version(), json,
                        String.valueOf(System.currentTimeMillis() + redis.timeout().toMillis()), String.valueOf(HISTORY_CAP)));
        String outcome = r.get(0).toString();
        switch (outcome) {
            case "ok" -> {
                long revision = Long.parseLong(r.get(1).toString());
                StateChanges.announce(redis, keys, KIND);
                return new LivePointer(activation.version(), revision);
            }
            case "stale" -> throw new StaleRevisionException(pointer(r.get(1).toString()));
            case "missing" -> throw new IllegalStateException("policy version " + activation.version() + " is not stored");
            default -> throw new StateUnavailableException("Redis ran the change too late (after " + redis.timeout().toMillis()
                    + " ms); it was not made");
        }
    }

    @Override
    public List<String> surfaces() {
        return new ArrayList<>(live().keySet());
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable stored value: " + e.getMessage(), e);
        }
    }
}
