package io.ranker.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.ranker.config.RankingSettings;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.Semaphore;

/**
 * Receives every request body on the event loop, before the resource method gets a worker thread. Quarkus REST reads
 * the body of a blocking method on its worker thread, so a client trickling a body one byte every few seconds held a
 * worker for as long as it liked, and a few hundred of them stopped all ranking (finding 5). Here a body is read
 * without any thread waiting for it, counted as it arrives against the method's {@link BodyLimit} (413 at the byte
 * that passes it, whether the length was declared or the body is chunked: finding 8), refused with 408 when it
 * arrives too slowly ({@code ranking.http.body-grace}, then {@code body-min-rate}), kept in memory up to
 * {@code spool-threshold} and spooled to a file beyond, and only then handed to the method as its entity stream.
 * Uploads (methods allowed more than {@link BodyLimit#SMALL}) are limited in number at once
 * ({@code max-concurrent-uploads}, 503 beyond). Runs after {@link AccessFilter}, so a caller without the right key is
 * refused before one byte of its body is read.
 */
public class BodyIntake {
    private final IntakeSettings settings;
    private final Path spoolDir;
    private final Semaphore uploads;
    private final MeterRegistry registry;

    public BodyIntake(IntakeSettings settings, RankingSettings ranking, MeterRegistry registry) {
        this.settings = settings;
        this.spoolDir = Path.of(settings.spoolDir().orElse(Path.of(ranking.dataDir(), "tmp", "bodies").toString()));
        this.uploads = new Semaphore(Math.max(1, settings.maxConcurrentUploads()));
        this.registry = registry;
    }

    @ServerRequestFilter(nonBlocking = true, priority = AccessFilter.PRIORITY + 10)
    public Uni<Response> receive(ContainerRequestContext ctx, ResourceInfo resource, RoutingContext rc) {
        HttpServerRequest http = rc.request();
        if (!hasBody(http)) return Uni.createFrom().nullItem();
        long limit = limitFor(resource.getResourceMethod(), resource.getResourceClass());
        long declared = declaredLength(http);
        if (declared > limit) return Uni.createFrom().item(refuse(rc, "too_large", tooLarge(http.path(), limit, declared)));
        if (limit > BodyLimit.SMALL) {
            if (!uploads.tryAcquire()) {
                return Uni.createFrom().item(refuse(rc, "busy", Response.fromResponse(problem(503, "Service unavailable",
                        settings.maxConcurrentUploads() + " uploads are being received already (ranking.http.max-concurrent-uploads); "
                                + "retry shortly", http.path())).header("Retry-After", 1).build()));
            }
            rc.addEndHandler(v -> uploads.release());
        }
        return Uni.createFrom().emitter(em -> new Reception(rc, ctx, em, limit).start());
    }

    /** HTTP/1.1: a body is announced by a non-zero Content-Length or by chunked transfer coding. */
    static boolean hasBody(HttpServerRequest http) {
        if (http.isEnded()) return false;
        String te = http.getHeader("Transfer-Encoding");
        if (te != null && !te.isBlank()) return true;
        return declaredLength(http) > 0;
    }

    static long declaredLength(HttpServerRequest http) {
        String length = http.getHeader("Content-Length");
        if (length == null) return -1;
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1; // Vert.x answers a malformed Content-Length itself
        }
    }

    static long limitFor(Method method, Class<?> type) {
        BodyLimit l = method == null ? null : method.getAnnotation(BodyLimit.class);
        if (l == null && type != null) l = type.getAnnotation(BodyLimit.class);
        return l == null ? BodyLimit.SMALL : l.value();
    }

    /**
     * Whether a body has been arriving too slowly: after the grace period it must average the minimum rate.
     * Pure, for tests: the period checks call it once a second.
     */
    static boolean tooSlow(long elapsedMillis, long received, long graceMillis, long minBytesPerSecond) {
        if (elapsedMillis <= graceMillis) return false;
        return received < minBytesPerSecond * (elapsedMillis - graceMillis) / 1000;
    }

    static Response problem(int status, String title, String detail, String path) {
        return ProblemMappers.respond(new Problem("about:blank", title, status, detail, path, null));
    }

    static Response tooLarge(String path, long limit, long seen) {
        return problem(413, "Content too large", "the body of " + path + " may be at most " + limit + " bytes; this one "
                + (seen >= 0 ? "declares " + seen : "is longer") + " (nothing was read past the limit)", path);
    }

    /**
     * An answer given before the body was read in full: the rest of it is never read, so the connection cannot carry
     * another request and is closed once the answer is out.
     */
    private Response refuse(RoutingContext rc, String reason, Response r) {
        registry.counter("ranker.http.bodies.refused", "reason", reason).increment();
        rc.request().pause();
        rc.addEndHandler(v -> rc.request().connection().close());
        return Response.fromResponse(r).header("Connection", "close").build();
    }

    /** One body being received. Every method runs on the request's event loop. */
    private final class Reception {
        private final RoutingContext rc;
        private final HttpServerRequest http;
        private final ContainerRequestContext ctx;
        private final UniEmitter<? super Response> em;
        private final long limit;
        private final Vertx vertx;
        private final long started = System.nanoTime();
        private Buffer memory = Buffer.buffer();
        private long received;
        private long timer = -1;
        private boolean done;
        private boolean ended;
        private Path spool;
        private AsyncFile file;
        private boolean opening;

        Reception(RoutingContext rc, ContainerRequestContext ctx, UniEmitter<? super Response> em, long limit) {
            this.rc = rc;
            this.http = rc.request();
            this.ctx = ctx;
            this.em = em;
            this.limit = limit;
            this.vertx = rc.vertx();
        }

        void start() {
            long grace = settings.bodyGrace().toMillis();
            long rate = settings.bodyMinRate().asLongValue();
            timer = vertx.setPeriodic(1_000, t -> {
                long elapsed = (System.nanoTime() - started) / 1_000_000;
                if (tooSlow(elapsed, received, grace, rate)) {
                    fail("too_slow", problem(408, "Request timeout", "the body of " + http.path() + " arrived too slowly: "
                            + received + " bytes in " + elapsed + " ms (after " + grace + " ms a body must average at least "
                            + rate + " bytes per second: ranking.http.body-min-rate)", http.path()));
                }
            });
            if ("100-continue".equalsIgnoreCase(http.getHeader("Expect"))) rc.response().writeContinue();
            http.handler(this::chunk);
            http.exceptionHandler(e -> fail("broken", problem(400, "Bad request", "the body could not be read: " + e.getMessage(), http.path())));
            http.endHandler(v -> {
                ended = true;
                if (!opening) end();
            });
            http.resume();
        }

        private void chunk(Buffer b) {
            if (done) return;
            received += b.length();
            if (received > limit) {
                fail("too_large", tooLarge(http.path(), limit, -1));
                return;
            }
            if (file != null) {
                file.write(b);
                if (file.writeQueueFull()) {
                    http.pause();
                    file.drainHandler(v -> http.resume());
                }
                return;
            }
            memory.appendBuffer(b);
            if (!opening && memory.length() > settings.spoolThreshold().asLongValue()) openSpool();
        }

        private void openSpool() {
            opening = true;
            http.pause();
            spool = spoolDir.resolve(UUID.randomUUID() + ".body");
            rc.addEndHandler(v -> vertx.fileSystem().delete(spool.toString()));
            vertx.fileSystem().mkdirs(spoolDir.toString())
                    .compose(v -> vertx.fileSystem().open(spool.toString(), new OpenOptions().setWrite(true).setCreateNew(true)))
                    .onComplete(ar -> {
                        opening = false;
                        if (done) {
                            if (ar.succeeded()) ar.result().close();
                            return;
                        }
                        if (ar.failed()) {
                            fail("spool", problem(503, "Service unavailable", "the body could not be stored to be read: "
                                    + ar.cause().getClass().getSimpleName(), http.path()));
                            return;
                        }
                        file = ar.result();
                        file.write(memory);
                        memory = null;
                        if (ended) end();
                        else http.resume();
                    });
        }

        private void end() {
            if (done) return;
            if (file == null) {
                finish(new ByteArrayInputStream(memory.getBytes()));
                return;
            }
            file.close().onComplete(ar -> {
                if (done) return;
                if (ar.failed()) {
                    fail("spool", problem(503, "Service unavailable", "the body could not be stored to be read", http.path()));
                    return;
                }
                try {
                    finish(Files.newInputStream(spool));
                } catch (IOException e) {
                    fail("spool", problem(503, "Service unavailable", "the body could not be read back", http.path()));
                }
            });
        }

        private void finish(java.io.InputStream body) {
            done = true;
            vertx.cancelTimer(timer);
            ctx.setEntityStream(body);
            em.complete(null);
        }

        private void fail(String reason, Response r) {
            if (done) return;
            done = true;
            vertx.cancelTimer(timer);
            if (file != null) file.close();
            em.complete(refuse(rc, reason, r));
        }
    }
}
