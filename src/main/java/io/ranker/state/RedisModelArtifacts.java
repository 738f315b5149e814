package io.ranker.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ranker.scoring.ModelArtifacts;
import io.ranker.scoring.ModelRejectedException;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Model files in Redis, shared by every replica. A version's bytes are split into chunks of
 * {@code ranking.state.redis.chunk-bytes} (Redis values stay small); the metadata (manifest, format, size, chunk
 * count, SHA-256 of the bytes) is written after every chunk, with SET NX, and only then is the version registered in
 * the versions set that routing changes check: a version that is listed is complete. A fetched model is checked
 * against the recorded SHA-256 before anyone may load it. Keys of one version share a hash tag (its version), so
 * versions spread over a Redis Cluster.
 */
public final class RedisModelArtifacts implements ModelArtifacts {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final RedisStateClient redis;
    private final StateKeys keys;
    private final int chunkBytes;

    public RedisModelArtifacts(RedisStateClient redis, StateKeys keys, int chunkBytes) {
        this.redis = redis;
        this.keys = keys;
        this.chunkBytes = Math.max(1024, chunkBytes);
    }

    @Override
    public void publish(Artifact a) {
        if (redis.send(Request.cmd(Command.EXISTS).arg(keys.modelMeta(a.version()))).toInteger() == 1) {
            register(a.version());
            return;
        }
        int chunks = Math.max(1, (a.model().length + chunkBytes - 1) / chunkBytes);
        for (int i = 0; i < chunks; i++) {
            byte[] chunk = Arrays.copyOfRange(a.model(), i * chunkBytes, Math.min(a.model().length, (i + 1) * chunkBytes));
            redis.send(Request.cmd(Command.SET).arg(keys.modelChunk(a.version(), i)).arg(chunk));
        }
        ObjectNode meta = JSON.createObjectNode();
        meta.put("version", a.version());
        meta.put("format", a.format());
        meta.put("bytes", a.model().length);
        meta.put("chunks", chunks);
        meta.put("sha256", Hashes.sha256(a.model()));
        meta.put("manifest", new String(a.manifest(), StandardCharsets.UTF_8));
        redis.send(Request.cmd(Command.SET).arg(keys.modelMeta(a.version())).arg(meta.toString()).arg("NX"));
        register(a.version());
    }

    private void register(String version) {
        redis.send(Request.cmd(Command.ZADD).arg(keys.modelVersions()).arg("NX").arg(System.currentTimeMillis()).arg(version));
    }

    private Optional<JsonNode> meta(String version) {
        Response r = redis.send(Request.cmd(Command.GET).arg(keys.modelMeta(version)));
        if (r == null) return Optional.empty();
        try {
            return Optional.of(JSON.readTree(r.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable metadata of model " + version, e);
        }
    }

    @Override
    public Optional<Artifact> fetch(String version) {
        Optional<JsonNode> m = meta(version);
        if (m.isEmpty()) return Optional.empty();
        JsonNode meta = m.get();
        int chunks = meta.path("chunks").asInt();
        ByteArrayOutputStream out = new ByteArrayOutputStream(meta.path("bytes").asInt());
        for (int i = 0; i < chunks; i++) {
            Response c = redis.send(Request.cmd(Command.GET).arg(keys.modelChunk(version, i)));
            if (c == null) throw new ModelRejectedException("the shared copy of model " + version + " lacks chunk " + i);
            out.writeBytes(c.toBytes());
        }
        byte[] bytes = out.toByteArray();
        String sha = Hashes.sha256(bytes);
        if (!sha.equals(meta.path("sha256").asText())) {
            throw new ModelRejectedException("the shared copy of model " + version + " does not match its recorded SHA-256");
        }
        return Optional.of(new Artifact(version, bytes, meta.path("manifest").asText().getBytes(StandardCharsets.UTF_8),
                meta.path("format").asText()));
    }

    @Override
    public List<Listed> list() {
        List<String> versions = RedisStateClient.strings(redis.send(Request.cmd(Command.ZRANGE).arg(keys.modelVersions()).arg(0).arg(-1)));
        List<Listed> out = new ArrayList<>();
        for (String v : versions) {
            meta(v).ifPresent(meta -> out.add(new Listed(v, meta.path("manifest").asText().getBytes(StandardCharsets.UTF_8),
                    "model." + meta.path("format").asText())));
        }
        return out;
    }
}
