package io.ranker.auth;

import io.ranker.config.RankingSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static io.ranker.auth.KeyRingTest.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyRingSourceTest {
    @TempDir
    Path dir;

    static AuthSettings settings(Path file, String env) {
        return new AuthSettings() {
            public Optional<String> keysFile() { return Optional.ofNullable(file).map(Path::toString); }
            public Optional<String> keys() { return Optional.ofNullable(env); }
            public boolean rankRequiresKey() { return false; }
            public boolean loopbackWithoutKeys() { return true; }
            public Optional<List<String>> impressionKeys() { return Optional.empty(); }
        };
    }

    static RankingSettings ranking(String adminToken) {
        return new RankingSettings() {
            public String dataDir() { return "data"; }
            public String configDir() { return "ranking-config"; }
            public Admin admin() { return () -> Optional.ofNullable(adminToken); }
            public Optional<String> replicaId() { return Optional.empty(); }
        };
    }

    @Test
    void aRotatedKeysFileTakesEffectWithoutARestartAndABrokenOneIsRefused() throws Exception {
        Path file = dir.resolve("keys");
        Files.writeString(file, "pipeline ingest " + sha256("old") + "\n");
        KeyRingSource source = new KeyRingSource(settings(file, "env-key admin " + sha256("from-env")), ranking("tok"), 0);
        assertThat(source.current().authenticate("old")).isPresent();
        assertThat(source.current().authenticate("from-env").orElseThrow().name()).isEqualTo("env-key");
        assertThat(source.current().authenticate("tok").orElseThrow().name()).isEqualTo("admin");

        Files.writeString(file, "pipeline ingest " + sha256("new") + "\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(source.current().authenticate("new")).isPresent();
        assertThat(source.current().authenticate("old")).as("the rotated-out key").isEmpty();

        Files.writeString(file, "pipeline ingest not-a-digest\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(10)));
        assertThat(source.current().authenticate("new")).as("a broken file keeps the previous keys").isPresent();
    }

    @Test
    void aBrokenOrMissingKeyListStopsTheStart() throws Exception {
        Path file = dir.resolve("keys");
        Files.writeString(file, "pipeline ingest " + sha256("k").substring(0, 20) + "\n");
        assertThatThrownBy(() -> new KeyRingSource(settings(file, null), ranking(null))).hasMessageContaining("64 hex digits");
        assertThatThrownBy(() -> new KeyRingSource(settings(dir.resolve("absent"), null), ranking(null)))
                .hasMessageContaining("cannot read the keys file");
        Files.writeString(file, "admin ingest " + sha256("k") + "\n");
        assertThatThrownBy(() -> new KeyRingSource(settings(file, null), ranking("tok"))).hasMessageContaining("'admin' is taken");
        Files.writeString(file, "dup ingest " + sha256("k") + "\n");
        assertThatThrownBy(() -> new KeyRingSource(settings(file, "dup admin " + sha256("j")), ranking(null)))
                .hasMessageContaining("both in the keys file and in ranking.auth.keys");
    }

    @Test
    void nothingConfiguredIsAnEmptyRing() {
        assertThat(new KeyRingSource(settings(null, null), ranking(null)).current().isEmpty()).isTrue();
        assertThat(new KeyRingSource(settings(null, "  "), ranking("")).current().isEmpty()).isTrue();
    }
}
