package io.ranker.auth;

import io.quarkus.runtime.Startup;
import io.ranker.config.RankingSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The live {@link KeyRing}: read at start (a key list with a mistake stops the start: a service must not come up
 * with fewer or other keys than configured), then the keys file is checked for changes at most every two seconds
 * and re-read, so keys rotate without a restart. A changed file with a mistake is refused and the previous keys stay,
 * with the reason logged once.
 */
@Startup
@ApplicationScoped
public class KeyRingSource {
    private static final Logger LOG = Logger.getLogger(KeyRingSource.class);
    private static final long CHECK_EVERY_NANOS = 2_000_000_000L;

    private final long checkEveryNanos;
    private final Path file;
    private final String envKeys;
    private final String adminToken;
    private volatile KeyRing ring;
    private volatile long checkedAt;
    private volatile Stamp stamp;
    private volatile String lastRefusal;

    private record Stamp(FileTime modified, long size) {
    }

    @Inject
    public KeyRingSource(AuthSettings auth, RankingSettings settings) {
        this(auth, settings, CHECK_EVERY_NANOS);
    }

    KeyRingSource(AuthSettings auth, RankingSettings settings, long checkEveryNanos) {
        this.checkEveryNanos = checkEveryNanos;
        this.file = auth.keysFile().filter(s -> !s.isBlank()).map(Path::of).orElse(null);
        this.envKeys = auth.keys().filter(s -> !s.isBlank()).orElse(null);
        this.adminToken = settings.admin().token().filter(t -> !t.isBlank()).orElse(null);
        this.stamp = stamp();
        this.ring = load(); // throws: the start fails with the reason
        this.checkedAt = System.nanoTime();
        LOG.infof("API keys: %d configured%s%s", ring.keys().size(), ring.hasAdminToken() ? " plus the admin token" : "",
                ring.isEmpty() ? " (none: writes are accepted from this host only)" : "");
    }

    /** The keys now in force. */
    public KeyRing current() {
        if (file != null && System.nanoTime() - checkedAt > checkEveryNanos) reloadIfChanged();
        return ring;
    }

    private synchronized void reloadIfChanged() {
        if (System.nanoTime() - checkedAt <= checkEveryNanos) return;
        checkedAt = System.nanoTime();
        Stamp now = stamp();
        if (Objects.equals(now, stamp)) return;
        try {
            KeyRing next = load();
            stamp = now;
            ring = next;
            lastRefusal = null;
            LOG.infof("API keys re-read from %s: %d configured", file, next.keys().size());
        } catch (RuntimeException e) {
            stamp = now; // not again until it changes once more
            if (!Objects.equals(lastRefusal, e.getMessage())) LOG.errorf("API keys in %s not applied, the previous keys stay: %s", file, e.getMessage());
            lastRefusal = e.getMessage();
        }
    }

    private Stamp stamp() {
        if (file == null) return null;
        try {
            return new Stamp(Files.getLastModifiedTime(file), Files.size(file));
        } catch (IOException e) {
            return null;
        }
    }

    private KeyRing load() {
        List<ApiKey> keys = new ArrayList<>();
        if (file != null) {
            try {
                keys.addAll(KeyFile.parse(Files.readString(file), "keys file " + file, false));
            } catch (IOException e) {
                throw new KeyFile.InvalidKeys("cannot read the keys file " + file + " (ranking.auth.keys-file): " + e);
            }
        }
        if (envKeys != null) keys.addAll(KeyFile.parse(envKeys, "ranking.auth.keys", true));
        long distinct = keys.stream().map(ApiKey::name).distinct().count();
        if (distinct != keys.size()) throw new KeyFile.InvalidKeys("a key name is used both in the keys file and in ranking.auth.keys");
        if (adminToken != null && keys.stream().anyMatch(k -> "admin".equals(k.name()))) {
            throw new KeyFile.InvalidKeys("the key name 'admin' is taken by ranking.admin.token; name the key otherwise");
        }
        return new KeyRing(keys, adminToken);
    }
}
