package io.ranker.config;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A replica's id as it appears in paths and records: 1-64 characters from {@code [A-Za-z0-9._-]}, starting with a
 * letter or digit, so it is a safe directory name, a safe part of a segment file name and needs no escaping anywhere.
 */
public final class ReplicaId {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private ReplicaId() {
    }

    public static boolean valid(String id) {
        return id != null && VALID.matcher(id).matches();
    }

    /**
     * The configured id, which must be valid (a mistake stops the start with a message saying what is allowed), or
     * else the host name made valid (characters outside the set become {@code _}).
     *
     * @throws IllegalArgumentException for a configured id that is not valid
     */
    public static String resolve(Optional<String> configured) {
        if (configured.isPresent()) {
            String id = configured.get().trim();
            if (!valid(id)) {
                throw new IllegalArgumentException("ranking.replica-id (RANKING_REPLICA_ID) must be 1-64 characters from"
                        + " A-Z a-z 0-9 . _ - starting with a letter or digit, got '" + configured.get() + "'");
            }
            return id;
        }
        return sanitize(hostName());
    }

    static String sanitize(String host) {
        String s = host == null ? "" : host.trim().replaceAll("[^A-Za-z0-9._-]", "_");
        if (s.length() > 64) s = s.substring(0, 64);
        if (s.isEmpty() || !Character.isLetterOrDigit(s.charAt(0))) s = "r" + s;
        return valid(s) ? s : "replica";
    }

    /** $HOSTNAME (set by shells and by Kubernetes to the pod name), /etc/hostname, then the resolver. */
    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) return env;
        try {
            String f = Files.readString(Path.of("/etc/hostname")).trim();
            if (!f.isEmpty()) return f;
        } catch (IOException | RuntimeException ignored) {
            // not Linux, or no such file
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "replica";
        }
    }
}
