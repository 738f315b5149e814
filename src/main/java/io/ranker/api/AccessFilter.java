package io.ranker.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.ranker.auth.AuthSettings;
import io.ranker.auth.Caller;
import io.ranker.auth.KeyRing;
import io.ranker.auth.KeyRingSource;
import io.ranker.auth.Scope;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The one place that decides who may call what. Runs on the event loop after the request is matched to a resource
 * method and before its body is read (so an anonymous upload is refused without reading it), reads the method's
 * {@link RequiresScope} (or {@link PublicEndpoint}) and the bearer key, and either records the {@link Caller} for
 * the resource or answers 401/403.
 * <p>The rule: while no API key and no admin token is configured, calls that need a scope are accepted only from
 * this host (a loopback peer that no proxy relayed), so the README's demo runs with plain curl, and are refused with
 * 403 from anywhere else. Once any key is configured, such a call without a valid key gets 401 from every host,
 * this one included, and a key without the scope gets 403. Ranking is open unless
 * {@code ranking.auth.rank-requires-key=true}.
 */
public class AccessFilter {
    /** Headers a proxy adds: a request that carries one was relayed, so its loopback peer says nothing about its origin. */
    private static final List<String> FORWARDING = List.of("Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Real-IP");

    private final KeyRingSource keys;
    private final AuthSettings settings;
    private final CurrentCaller current;
    private final MeterRegistry registry;

    public AccessFilter(KeyRingSource keys, AuthSettings settings, CurrentCaller current, MeterRegistry registry) {
        this.keys = keys;
        this.settings = settings;
        this.current = current;
        this.registry = registry;
    }

    /** Allowed with a caller, or refused with a status and a message a caller can act on. */
    record Decision(Caller caller, int status, String detail, String challenge) {
        static Decision allow(Caller c) {
            return new Decision(c, 0, null, null);
        }

        static Decision deny(int status, String detail, String challenge) {
            return new Decision(null, status, detail, challenge);
        }

        boolean allowed() {
            return caller != null;
        }
    }

    /** Before every other filter: non-blocking filters must come first, and nothing should run for a refused call. */
    static final int PRIORITY = Priorities.AUTHENTICATION - 900;

    @ServerRequestFilter(nonBlocking = true, priority = PRIORITY)
    public Response check(ResourceInfo resource, HttpServerRequest http) {
        Scope needed = needed(resource.getResourceMethod(), resource.getResourceClass());
        if (needed == null || (needed == Scope.RANK && !settings.rankRequiresKey())) {
            current.set(Caller.ANONYMOUS);
            return null;
        }
        Decision d = decide(keys.current(), needed, http.getHeader(HttpHeaders.AUTHORIZATION), isLocal(http),
                settings.loopbackWithoutKeys());
        if (d.allowed()) {
            current.set(d.caller());
            return null;
        }
        registry.counter("ranker.auth.refused", "status", String.valueOf(d.status()), "scope", needed.label()).increment();
        Response r = ProblemMappers.respond(new Problem("about:blank", d.status() == 401 ? "Unauthorized" : "Forbidden",
                d.status(), d.detail(), http.path(), null));
        return d.challenge() == null ? r : Response.fromResponse(r).header(HttpHeaders.WWW_AUTHENTICATE, d.challenge()).build();
    }

    /** The scope a method needs; null for a public endpoint; admin when it says nothing (deny by default). */
    static Scope needed(Method method, Class<?> type) {
        if (method != null) {
            if (method.isAnnotationPresent(PublicEndpoint.class)) return null;
            RequiresScope s = method.getAnnotation(RequiresScope.class);
            if (s != null) return s.value();
        }
        if (type != null) {
            if (type.isAnnotationPresent(PublicEndpoint.class)) return null;
            RequiresScope s = type.getAnnotation(RequiresScope.class);
            if (s != null) return s.value();
        }
        return Scope.ADMIN;
    }

    static Decision decide(KeyRing ring, Scope needed, String authorization, boolean local, boolean loopbackWithoutKeys) {
        String what = "'" + needed.label() + "'" + (needed == Scope.ADMIN ? "" : " (or 'admin')");
        if (ring.isEmpty()) {
            if (local && loopbackWithoutKeys) return Decision.allow(Caller.LOCAL);
            return Decision.deny(403, "No API key is configured on this server, so it accepts calls that need the " + what
                    + " scope only from its own host" + (loopbackWithoutKeys ? "" : " (and not even there: ranking.auth.loopback-without-keys=false)")
                    + ". Configure keys (ranking.auth.keys-file or RANKING_AUTH_KEYS) to call it from elsewhere.", null);
        }
        String bearer = bearer(authorization);
        if (bearer == null) {
            return Decision.deny(401, "This operation needs an API key with the " + what + " scope: send 'Authorization: Bearer <key>'",
                    "Bearer realm=\"ranker\"");
        }
        Caller caller = ring.authenticate(bearer).orElse(null);
        if (caller == null) {
            return Decision.deny(401, "The API key was not accepted (unknown or revoked); this operation needs a key with the "
                    + what + " scope", "Bearer realm=\"ranker\", error=\"invalid_token\"");
        }
        if (!caller.may(needed)) {
            return Decision.deny(403, "The key '" + caller.name() + "' has the scope "
                    + caller.scopes().stream().map(Scope::label).sorted().collect(Collectors.joining(", "))
                    + "; this operation needs " + what, null);
        }
        return Decision.allow(caller);
    }

    static String bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) return null;
        String token = authorization.substring(7).strip();
        return token.isEmpty() ? null : token;
    }

    /** A loopback peer and no sign of a proxy in between. */
    static boolean isLocal(HttpServerRequest http) {
        for (String h : FORWARDING) if (http.getHeader(h) != null) return false;
        SocketAddress peer = http.remoteAddress();
        return peer != null && isLoopback(peer.hostAddress());
    }

    static boolean isLoopback(String ip) {
        if (ip == null || ip.isEmpty() || !ip.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':' || c == '%')) {
            return false;
        }
        try {
            return InetAddress.getByName(ip).isLoopbackAddress(); // a literal address: no name lookup
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
