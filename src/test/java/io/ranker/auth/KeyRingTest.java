package io.ranker.auth;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyRingTest {
    static String sha256(String key) {
        return "sha256:" + HexFormat.of().formatHex(KeyRing.digest(ApiKey.Digest.SHA256, key));
    }

    static String sha512(String key) {
        return "sha512:" + HexFormat.of().formatHex(KeyRing.digest(ApiKey.Digest.SHA512, key));
    }

    @Test
    void keysAreRecognisedByTheirDigestAndCarryTheirNameAndScopes() {
        List<ApiKey> keys = KeyFile.parse("""
                # name      scopes         digest
                catalog     ingest         %s
                console     admin          %s   # a comment after an entry
                app         rank,ingest    %s
                """.formatted(sha256("k-catalog"), sha512("k-console"), sha256("k-app")), "test", false);
        KeyRing ring = new KeyRing(keys, "legacy-token");
        assertThat(ring.authenticate("k-catalog")).get().satisfies(c -> {
            assertThat(c.name()).isEqualTo("catalog");
            assertThat(c.may(Scope.INGEST)).isTrue();
            assertThat(c.may(Scope.ADMIN)).isFalse();
            assertThat(c.may(Scope.RANK)).isFalse();
        });
        assertThat(ring.authenticate("k-console")).get().satisfies(c -> {
            assertThat(c.name()).isEqualTo("console");
            assertThat(c.may(Scope.ADMIN)).isTrue();
            assertThat(c.may(Scope.INGEST)).as("admin may do everything").isTrue();
        });
        assertThat(ring.authenticate("k-app").orElseThrow().scopes()).isEqualTo(Set.of(Scope.RANK, Scope.INGEST));
        assertThat(ring.authenticate("legacy-token")).get().satisfies(c -> {
            assertThat(c.name()).isEqualTo("admin");
            assertThat(c.how()).isEqualTo(Caller.How.ADMIN_TOKEN);
            assertThat(c.may(Scope.ADMIN)).isTrue();
        });
        assertThat(ring.authenticate("k-catalog ")).isEmpty();
        assertThat(ring.authenticate("K-CATALOG")).isEmpty();
        assertThat(ring.authenticate(sha256("k-catalog"))).as("the digest is not the key").isEmpty();
        assertThat(ring.authenticate("")).isEmpty();
        assertThat(ring.authenticate("x".repeat(5000))).isEmpty();
        assertThat(ring.isEmpty()).isFalse();
        assertThat(new KeyRing(List.of(), null).isEmpty()).isTrue();
        assertThat(new KeyRing(List.of(), " ").isEmpty()).isTrue();
        assertThat(new KeyRing(List.of(), "t").isEmpty()).isFalse();
    }

    @Test
    void theEnvironmentFormSeparatesEntriesWithSemicolons() {
        List<ApiKey> keys = KeyFile.parse("a ingest " + sha256("1") + "; b admin " + sha256("2"), "RANKING_AUTH_KEYS", true);
        assertThat(keys).extracting(ApiKey::name).containsExactly("a", "b");
        assertThat(keys.get(0).hashText()).isEqualTo(sha256("1"));
    }

    @Test
    void aListWithAnyMistakeIsRefusedWholeAndSaysWhere() {
        assertThatThrownBy(() -> KeyFile.parse("ok ingest " + sha256("1") + "\nbad admin 5e884898da28047151d0e56f8dc6292773603d0d", "f", false))
                .isInstanceOf(KeyFile.InvalidKeys.class).hasMessageContaining("f entry 2 (bad)").hasMessageContaining("sha256: or sha512:");
        assertThatThrownBy(() -> KeyFile.parse("a ingest sha256:abc", "f", false)).hasMessageContaining("64 hex digits");
        assertThatThrownBy(() -> KeyFile.parse("a root " + sha256("1"), "f", false)).hasMessageContaining("unknown scope 'root'");
        assertThatThrownBy(() -> KeyFile.parse("a ingest " + sha256("1") + "\na admin " + sha256("2"), "f", false))
                .hasMessageContaining("'a' is used twice");
        assertThatThrownBy(() -> KeyFile.parse("a ingest " + sha256("1") + "\nb admin " + sha256("1"), "f", false))
                .hasMessageContaining("the same key is listed twice");
        assertThatThrownBy(() -> KeyFile.parse("bad\nname ingest " + sha256("1"), "f", false)).hasMessageContaining("entry 1");
        assertThatThrownBy(() -> KeyFile.parse("-x ingest " + sha256("1"), "f", false)).hasMessageContaining("the name must be");
        assertThatThrownBy(() -> KeyFile.parse("a ingest " + sha256("1") + " extra", "f", false)).hasMessageContaining("4 fields");
    }
}
