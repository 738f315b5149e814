package io.ranker.api;

import io.ranker.auth.ApiKey;
import io.ranker.auth.Caller;
import io.ranker.auth.KeyFile;
import io.ranker.auth.KeyRing;
import io.ranker.auth.Scope;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The access rule itself, without HTTP: {@link AccessFilter#decide}. */
class AccessDecisionTest {
    static final KeyRing NONE = new KeyRing(List.of(), null);
    static final KeyRing KEYS = new KeyRing(KeyFile.parse("pipeline ingest " + digest("k-ingest") + "\nconsole admin "
            + digest("k-admin") + "\napp rank " + digest("k-rank"), "test", false), "legacy");

    static String digest(String key) {
        return "sha256:" + HexFormat.of().formatHex(KeyRing.digest(ApiKey.Digest.SHA256, key));
    }

    @Test
    void withoutKeysOnlyThisHostMayWrite() {
        AccessFilter.Decision local = AccessFilter.decide(NONE, Scope.INGEST, null, true, true);
        assertThat(local.allowed()).isTrue();
        assertThat(local.caller()).isEqualTo(Caller.LOCAL);
        assertThat(AccessFilter.decide(NONE, Scope.ADMIN, "Bearer anything", true, true).caller()).isEqualTo(Caller.LOCAL);

        AccessFilter.Decision remote = AccessFilter.decide(NONE, Scope.INGEST, null, false, true);
        assertThat(remote.status()).isEqualTo(403);
        assertThat(remote.detail()).contains("No API key is configured").contains("only from its own host").contains("ranking.auth.keys-file");
        assertThat(AccessFilter.decide(NONE, Scope.INGEST, "Bearer x", false, true).status()).isEqualTo(403);
        assertThat(AccessFilter.decide(NONE, Scope.INGEST, null, true, false).status()).as("loopback exception off").isEqualTo(403);
    }

    @Test
    void withKeysEveryHostNeedsOneWithTheScope() {
        AccessFilter.Decision missing = AccessFilter.decide(KEYS, Scope.INGEST, null, true, true);
        assertThat(missing.status()).as("localhost included").isEqualTo(401);
        assertThat(missing.challenge()).isEqualTo("Bearer realm=\"ranker\"");
        assertThat(missing.detail()).contains("'ingest' (or 'admin') scope").contains("Authorization: Bearer");
        assertThat(AccessFilter.decide(KEYS, Scope.INGEST, "Basic abc", true, true).status()).isEqualTo(401);
        AccessFilter.Decision wrong = AccessFilter.decide(KEYS, Scope.INGEST, "Bearer nope", false, true);
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.challenge()).contains("invalid_token");

        assertThat(AccessFilter.decide(KEYS, Scope.INGEST, "Bearer k-ingest", false, true).caller().name()).isEqualTo("pipeline");
        assertThat(AccessFilter.decide(KEYS, Scope.INGEST, "bearer   k-ingest ", false, true).allowed()).isTrue();
        AccessFilter.Decision lacking = AccessFilter.decide(KEYS, Scope.ADMIN, "Bearer k-ingest", false, true);
        assertThat(lacking.status()).isEqualTo(403);
        assertThat(lacking.detail()).isEqualTo("The key 'pipeline' has the scope ingest; this operation needs 'admin'");
        assertThat(AccessFilter.decide(KEYS, Scope.INGEST, "Bearer k-rank", false, true).status()).isEqualTo(403);
        assertThat(AccessFilter.decide(KEYS, Scope.RANK, "Bearer k-rank", false, true).allowed()).isTrue();
        assertThat(AccessFilter.decide(KEYS, Scope.INGEST, "Bearer k-admin", false, true).caller().name()).isEqualTo("console");
        assertThat(AccessFilter.decide(KEYS, Scope.ADMIN, "Bearer legacy", false, true).caller().name()).isEqualTo("admin");
    }

    @Test
    void onlyLiteralLoopbackAddressesAreLocal() {
        assertThat(AccessFilter.isLoopback("127.0.0.1")).isTrue();
        assertThat(AccessFilter.isLoopback("127.8.9.10")).isTrue();
        assertThat(AccessFilter.isLoopback("::1")).isTrue();
        assertThat(AccessFilter.isLoopback("0:0:0:0:0:0:0:1")).isTrue();
        assertThat(AccessFilter.isLoopback("192.0.2.2")).isFalse();
        assertThat(AccessFilter.isLoopback("fd00::2")).isFalse();
        assertThat(AccessFilter.isLoopback("localhost")).as("names are never looked up").isFalse();
        assertThat(AccessFilter.isLoopback(null)).isFalse();
    }

    /** Deny by default: every resource method says what it needs, so a new endpoint cannot be open by accident. */
    @Test
    void everyResourceMethodDeclaresItsAccess() throws IOException, URISyntaxException {
        java.nio.file.Path classes = Paths.get(AccessFilter.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("io/ranker/api");
        List<String> undeclared = new ArrayList<>();
        int methods = 0;
        try (Stream<java.nio.file.Path> files = Files.list(classes)) {
            for (java.nio.file.Path f : files.filter(p -> p.toString().endsWith(".class") && !p.getFileName().toString().contains("$")).toList()) {
                Class<?> type;
                try {
                    type = Class.forName("io.ranker.api." + f.getFileName().toString().replace(".class", ""));
                } catch (ClassNotFoundException | LinkageError e) {
                    continue;
                }
                if (!type.isAnnotationPresent(Path.class)) continue;
                boolean classDeclares = type.isAnnotationPresent(RequiresScope.class) || type.isAnnotationPresent(PublicEndpoint.class);
                for (Method m : type.getDeclaredMethods()) {
                    if (Stream.of(GET.class, POST.class, PUT.class, DELETE.class, PATCH.class).noneMatch(m::isAnnotationPresent)) continue;
                    methods++;
                    if (!classDeclares && !m.isAnnotationPresent(RequiresScope.class) && !m.isAnnotationPresent(PublicEndpoint.class)) {
                        undeclared.add(type.getSimpleName() + "." + m.getName());
                    }
                }
            }
        }
        assertThat(methods).as("resource methods found").isGreaterThan(25);
        assertThat(undeclared).as("resource methods with neither @RequiresScope nor @PublicEndpoint").isEmpty();
    }

    @Test
    void writesNeedTheirScope() throws NoSuchMethodException {
        assertThat(AccessFilter.needed(ItemsResource.class.getMethod("delete", String.class, String.class), ItemsResource.class)).isEqualTo(Scope.INGEST);
        assertThat(AccessFilter.needed(ItemsResource.class.getMethod("get", String.class), ItemsResource.class)).isNull();
        assertThat(AccessFilter.needed(PolicyResource.class.getMethod("preview", PolicyResource.PreviewRequest.class), PolicyResource.class))
                .isEqualTo(Scope.ADMIN);
        assertThat(AccessFilter.needed(null, Object.class)).as("undeclared").isEqualTo(Scope.ADMIN);
    }
}
