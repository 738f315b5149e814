package io.ranker.auth;

import io.ranker.config.RankingSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Where the impression signing secrets come from: {@code ranking.auth.impression-keys} (shared by every replica), or,
 * when unset, a random secret made once and kept in {@code <data-dir>/impression-key} (owner-only permissions), which
 * is enough for one replica: several replicas with their own files would not verify each other's ids.
 */
@ApplicationScoped
public class ImpressionSecrets {
    private static final Logger LOG = Logger.getLogger(ImpressionSecrets.class);

    @Produces
    @Singleton
    ImpressionSigner signer(AuthSettings auth, RankingSettings settings) {
        List<String> configured = auth.impressionKeys().orElse(List.of()).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (!configured.isEmpty()) {
            List<byte[]> secrets = new ArrayList<>();
            for (int i = 0; i < configured.size(); i++) {
                byte[] s;
                try {
                    s = Base64.getDecoder().decode(configured.get(i));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("ranking.auth.impression-keys entry " + (i + 1) + " is not base64");
                }
                if (s.length < 32) {
                    throw new IllegalArgumentException("ranking.auth.impression-keys entry " + (i + 1) + " has " + s.length
                            + " bytes; use at least 32 (openssl rand -base64 32)");
                }
                secrets.add(s);
            }
            return new ImpressionSigner(secrets);
        }
        Path file = Path.of(settings.dataDir(), "impression-key");
        ImpressionSigner signer = new ImpressionSigner(List.of(local(file)));
        LOG.infof("impression ids are signed with the secret in %s; several replicas must share one instead "
                + "(ranking.auth.impression-keys), or feedback served by one is not verified by another", file);
        return signer;
    }

    /** The data directory's secret, made on first use. */
    static byte[] local(Path file) {
        try {
            if (Files.isRegularFile(file)) {
                byte[] s = Base64.getDecoder().decode(Files.readString(file).strip());
                if (s.length >= 32) return s;
                throw new IllegalStateException(file + " holds fewer than 32 bytes; delete it to have a new secret made");
            }
            byte[] s = new byte[32];
            new SecureRandom().nextBytes(s);
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(tmp);
            }
            Files.writeString(tmp, Base64.getEncoder().encodeToString(s) + "\n");
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the impression signing secret " + file, e);
        }
    }
}
