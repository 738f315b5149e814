package io.ranker.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.util.List;
import java.util.Optional;

/**
 * Access settings ({@code ranking.auth.*}, {@code RANKING_AUTH_...}). The legacy admin token stays where it was
 * ({@code ranking.admin.token}).
 */
@ConfigMapping(prefix = "ranking.auth")
public interface AuthSettings {
    /** A key list file ({@link KeyFile} format; digests only). Re-read when it changes (key rotation without restart). */
    @WithName("keys-file")
    Optional<String> keysFile();

    /** Key list entries in the environment, separated by {@code ;} or newlines ({@code RANKING_AUTH_KEYS}). */
    Optional<String> keys();

    /** When true, {@code POST /v1/rank} needs a key with the {@code rank} scope too (default: ranking stays open). */
    @WithName("rank-requires-key")
    @WithDefault("false")
    boolean rankRequiresKey();

    /**
     * While no key is configured, writes are accepted from the service's own host (loopback, not relayed by a proxy)
     * so the demo runs without ceremony; false refuses them too.
     */
    @WithName("loopback-without-keys")
    @WithDefault("true")
    boolean loopbackWithoutKeys();

    /**
     * Secrets that sign impression ids (HMAC-SHA256), base64, at least 32 bytes each; the first signs, every one
     * verifies (rotation). Replicas must share them. Unset: a random secret generated once and kept in
     * {@code <data-dir>/impression-key} (enough for one replica).
     */
    @WithName("impression-keys")
    Optional<List<String>> impressionKeys();
}
