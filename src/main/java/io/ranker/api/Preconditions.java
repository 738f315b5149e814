package io.ranker.api;

/**
 * HTTP preconditions on the live versions (RFC 9110): {@code ETag} is the live version ({@code "3f9a0c1d2e4b"}), and
 * a change sent with {@code If-Match: "<version>"} is made only if that version is still live; otherwise 409 with
 * the current version. Without {@code If-Match} (or with {@code *}) the last writer wins, and both writes are audited.
 */
final class Preconditions {
    private Preconditions() {
    }

    /** The version an {@code If-Match} header expects, or null for none ({@code *} or absent). */
    static String expected(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank()) return null;
        String v = ifMatch.trim();
        if (v.equals("*")) return null;
        if (v.contains(",")) {
            throw ProblemException.badRequest("If-Match", "If-Match takes one version (the ETag of the live version), not a list");
        }
        if (v.startsWith("W/")) v = v.substring(2);
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) v = v.substring(1, v.length() - 1);
        if (!v.matches("[0-9a-f]{12,64}")) {
            throw ProblemException.badRequest("If-Match", "If-Match must be the quoted ETag of the live version, e.g. If-Match: \"3f9a0c1d2e4b\"");
        }
        return v;
    }

    static String etag(String version) {
        return version == null ? null : "\"" + version + "\"";
    }
}
