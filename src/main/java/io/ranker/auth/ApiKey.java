package io.ranker.auth;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One configured API key: its name, its scopes and the digest of the secret (never the secret itself).
 *
 * @param digest the SHA-256 or SHA-512 digest of the key's UTF-8 bytes
 */
public record ApiKey(String name, Set<Scope> scopes, Digest algorithm, byte[] digest) {
    /** Names become audit actors and log fields: a conservative alphabet so they never need escaping. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}");

    public enum Digest {
        SHA256("sha256", "SHA-256", 32), SHA512("sha512", "SHA-512", 64);

        final String prefix;
        final String jca;
        final int bytes;

        Digest(String prefix, String jca, int bytes) {
            this.prefix = prefix;
            this.jca = jca;
            this.bytes = bytes;
        }
    }

    public ApiKey {
        scopes = Set.copyOf(scopes);
        digest = digest.clone();
    }

    /** The form used in key files: {@code sha256:<64 hex digits>}. */
    public String hashText() {
        return algorithm.prefix + ":" + HexFormat.of().formatHex(digest);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ApiKey k && k.name.equals(name) && k.scopes.equals(scopes) && k.algorithm == algorithm
                && Arrays.equals(k.digest, digest);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return "ApiKey[" + name + " " + scopes + "]";
    }
}
