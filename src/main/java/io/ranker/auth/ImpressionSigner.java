package io.ranker.auth;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Impression ids that the service can check without a lookup: {@code <id>.<tag>}, where the tag is the first 128 bits
 * of HMAC-SHA256 over the id under a server secret, base64url. The id stays opaque to callers; feedback naming an id
 * that does not verify (made up, altered, or signed with a secret this service does not hold) is still logged for
 * audit but never reaches the real-time counters. The first secret signs; every one verifies, so secrets rotate by
 * prepending the new one and dropping the old one a retention period later.
 */
public final class ImpressionSigner {
    private static final int TAG_BYTES = 16;
    private static final int TAG_CHARS = 22; // base64url of 16 bytes, unpadded
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final List<SecretKeySpec> keys;

    /** @param secrets at least one, each at least 32 bytes; the first signs */
    public ImpressionSigner(List<byte[]> secrets) {
        if (secrets.isEmpty()) throw new IllegalArgumentException("an impression signer needs a secret");
        for (byte[] s : secrets) {
            if (s.length < 32) throw new IllegalArgumentException("impression secrets are at least 32 bytes, one has " + s.length);
        }
        this.keys = secrets.stream().map(s -> new SecretKeySpec(s.clone(), "HmacSHA256")).toList();
    }

    /** {@code id} with its tag appended. */
    public String sign(String id) {
        return id + "." + B64.encodeToString(tag(keys.get(0), id));
    }

    /** Whether a signed id carries a tag made with one of the secrets. */
    public boolean authentic(String signedId) {
        if (signedId == null) return false;
        int dot = signedId.lastIndexOf('.');
        if (dot <= 0 || signedId.length() - dot - 1 != TAG_CHARS) return false;
        byte[] given;
        try {
            given = Base64.getUrlDecoder().decode(signedId.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return false;
        }
        String id = signedId.substring(0, dot);
        boolean ok = false;
        for (SecretKeySpec k : keys) ok |= MessageDigest.isEqual(tag(k, id), given);
        return ok;
    }

    private static byte[] tag(SecretKeySpec key, String id) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return Arrays.copyOf(mac.doFinal(id.getBytes(StandardCharsets.UTF_8)), TAG_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
