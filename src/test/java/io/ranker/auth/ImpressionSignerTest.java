package io.ranker.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImpressionSignerTest {
    static final byte[] A = "a-secret-of-at-least-thirty-two-bytes!!".getBytes();
    static final byte[] B = "another-secret-of-at-least-32-bytes....".getBytes();

    @Test
    void signedIdsVerifyAndAnythingElseDoesNot() {
        ImpressionSigner signer = new ImpressionSigner(List.of(A));
        String id = signer.sign("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
        assertThat(id).matches("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b\\.[A-Za-z0-9_-]{22}");
        assertThat(signer.authentic(id)).isTrue();
        assertThat(signer.authentic("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b")).as("unsigned").isFalse();
        assertThat(signer.authentic(id.replace("0190", "0191"))).as("the id altered").isFalse();
        char last = id.charAt(id.length() - 1);
        assertThat(signer.authentic(id.substring(0, id.length() - 1) + (last == 'A' ? 'B' : 'A'))).as("the tag altered").isFalse();
        assertThat(signer.authentic(id + "x")).isFalse();
        assertThat(signer.authentic("." + id.substring(id.indexOf('.') + 1))).isFalse();
        assertThat(signer.authentic("x.!!!!!!!!!!!!!!!!!!!!!!")).isFalse();
        assertThat(signer.authentic(null)).isFalse();
        assertThat(new ImpressionSigner(List.of(B)).authentic(id)).as("another service's secret").isFalse();
    }

    @Test
    void aRotatedSecretStillVerifiesWhatTheOldOneSigned() {
        String old = new ImpressionSigner(List.of(A)).sign("imp-1");
        ImpressionSigner rotated = new ImpressionSigner(List.of(B, A));
        assertThat(rotated.authentic(old)).isTrue();
        assertThat(rotated.sign("imp-1")).isNotEqualTo(old);
        assertThat(new ImpressionSigner(List.of(A)).authentic(rotated.sign("imp-2"))).isFalse();
        assertThatThrownBy(() -> new ImpressionSigner(List.of(new byte[16]))).hasMessageContaining("at least 32 bytes");
    }

    @Test
    void theLocalSecretIsMadeOnceOwnerOnlyAndKept(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("data/impression-key");
        byte[] first = ImpressionSecrets.local(file);
        assertThat(first).hasSize(32);
        assertThat(ImpressionSecrets.local(file)).isEqualTo(first);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        Files.writeString(file, "c2hvcnQ=\n");
        assertThatThrownBy(() -> ImpressionSecrets.local(file)).hasMessageContaining("fewer than 32 bytes");
    }
}
