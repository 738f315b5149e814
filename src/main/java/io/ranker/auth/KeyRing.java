package io.ranker.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/**
 * The configured API keys and the legacy admin token ({@code ranking.admin.token}, which may do everything), and the
 * one check of a presented key against them. Only digests are held. A presented key is digested once per algorithm
 * and compared with every configured digest in constant time ({@link MessageDigest#isEqual}), without stopping at
 * the first match, so the time taken says nothing about which key, or how much of one, matched.
 */
public final class KeyRing {
    /** Longer bearer values are refused without digesting them. */
    static final int MAX_KEY_LENGTH = 1024;

    private final List<ApiKey> keys;
    private final byte[] adminTokenDigest;
    private final boolean anySha512;

    /**
     * @param adminToken the legacy admin token, or null
     */
    public KeyRing(List<ApiKey> keys, String adminToken) {
        this.keys = List.copyOf(keys);
        this.adminTokenDigest = adminToken == null || adminToken.isBlank() ? null : digest(ApiKey.Digest.SHA256, adminToken);
        this.anySha512 = keys.stream().anyMatch(k -> k.algorithm() == ApiKey.Digest.SHA512);
    }

    /** No key and no admin token: the service then takes writes only from its own host (see {@code AccessFilter}). */
    public boolean isEmpty() {
        return keys.isEmpty() && adminTokenDigest == null;
    }

    public List<ApiKey> keys() {
        return keys;
    }

    public boolean hasAdminToken() {
        return adminTokenDigest != null;
    }

    /** The caller a presented key belongs to, or empty when it is no configured key. */
    public Optional<Caller> authenticate(String presented) {
        if (presented == null || presented.isEmpty() || presented.length() > MAX_KEY_LENGTH) return Optional.empty();
        byte[] sha256 = digest(ApiKey.Digest.SHA256, presented);
        byte[] sha512 = anySha512 ? digest(ApiKey.Digest.SHA512, presented) : null;
        ApiKey match = null;
        for (ApiKey k : keys) {
            byte[] mine = k.algorithm() == ApiKey.Digest.SHA256 ? sha256 : sha512;
            if (MessageDigest.isEqual(mine, k.digest())) match = k;
        }
        boolean admin = adminTokenDigest != null && MessageDigest.isEqual(sha256, adminTokenDigest);
        if (match != null) return Optional.of(new Caller(match.name(), match.scopes(), Caller.How.API_KEY));
        if (admin) return Optional.of(new Caller("admin", EnumSet.allOf(Scope.class), Caller.How.ADMIN_TOKEN));
        return Optional.empty();
    }

    /** The digest a key file lists for {@code key}. */
    public static byte[] digest(ApiKey.Digest algorithm, String key) {
        try {
            return MessageDigest.getInstance(algorithm.jca).digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm.jca + " is missing from this JVM", e);
        }
    }
}
