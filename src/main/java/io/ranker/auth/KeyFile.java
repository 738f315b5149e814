package io.ranker.auth;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The key list format, the same in {@code ranking.auth.keys-file} and in {@code RANKING_AUTH_KEYS}: one key per line
 * (or per {@code ;} in the environment variable), {@code <name> <scope>[,<scope>...] <sha256|sha512>:<hex digest>},
 * {@code #} starts a comment. Example:
 * <pre>
 * # name              scopes          digest of the key (java -jar quarkus-run.jar keys new ...)
 * catalog-pipeline    ingest          sha256:5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8
 * policy-console      admin           sha256:...
 * </pre>
 * A list with any mistake is refused as a whole (a half-read key list would lock out or let in the wrong callers).
 */
public final class KeyFile {
    private KeyFile() {
    }

    /** A mistake in a key list, with where it is (never the secret: the list holds digests only). */
    public static final class InvalidKeys extends IllegalArgumentException {
        public InvalidKeys(String message) {
            super(message);
        }
    }

    /**
     * @param source     where the text came from, for messages ("keys file /etc/ranker/keys", "RANKING_AUTH_KEYS")
     * @param semicolons whether {@code ;} separates entries too (the one-line environment variable form)
     * @throws InvalidKeys listing every mistake
     */
    public static List<ApiKey> parse(String text, String source, boolean semicolons) {
        List<ApiKey> keys = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> digests = new HashSet<>();
        String[] lines = text.split(semicolons ? "\r?\n|;" : "\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int hash = line.indexOf('#');
            if (hash >= 0) line = line.substring(0, hash);
            line = line.strip();
            if (line.isEmpty()) continue;
            String where = source + " entry " + (i + 1);
            String[] parts = line.split("\\s+");
            if (parts.length != 3) {
                errors.add(where + ": expected '<name> <scopes> <sha256:digest>', found " + parts.length + " fields");
                continue;
            }
            String name = parts[0];
            if (!ApiKey.NAME.matcher(name).matches()) {
                errors.add(where + ": the name must be 1-64 letters, digits, '_', '.', '@' or '-', starting with a letter or digit");
                continue;
            }
            EnumSet<Scope> scopes = EnumSet.noneOf(Scope.class);
            for (String s : parts[1].split(",")) {
                var scope = Scope.parse(s.strip());
                if (scope.isEmpty()) errors.add(where + " (" + name + "): unknown scope '" + s + "'; scopes are rank, ingest, admin");
                else scopes.add(scope.get());
            }
            ApiKey.Digest alg = null;
            byte[] digest = null;
            String h = parts[2];
            for (ApiKey.Digest d : ApiKey.Digest.values()) {
                if (h.startsWith(d.prefix + ":")) {
                    alg = d;
                    String hex = h.substring(d.prefix.length() + 1);
                    if (hex.length() == 2 * d.bytes && hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                        digest = HexFormat.of().parseHex(hex);
                    }
                }
            }
            if (alg == null) {
                errors.add(where + " (" + name + "): the digest must start with sha256: or sha512: (never put the key itself here)");
                continue;
            }
            if (digest == null) {
                errors.add(where + " (" + name + "): a " + alg.prefix + " digest is " + 2 * alg.bytes + " hex digits");
                continue;
            }
            if (!names.add(name)) errors.add(where + ": the name '" + name + "' is used twice");
            if (!digests.add(h.toLowerCase(java.util.Locale.ROOT))) errors.add(where + " (" + name + "): the same key is listed twice");
            if (!scopes.isEmpty()) keys.add(new ApiKey(name, scopes, alg, digest));
        }
        if (!errors.isEmpty()) throw new InvalidKeys(String.join("; ", errors));
        return List.copyOf(keys);
    }
}
