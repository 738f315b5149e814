package io.ranker.logging;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Against a real redis-server on a free port. */
class RedisStreamSinkTest {
    @TempDir
    Path dir;

    private Process server;
    private int port;
    private Vertx vertx;
    private Redis redis;

    @BeforeEach
    void startRedis() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        server = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--save", "", "--appendonly", "no")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                break;
            } catch (Exception e) {
                if (System.currentTimeMillis() > deadline) throw e;
                Thread.sleep(50);
            }
        }
        vertx = Vertx.vertx();
        redis = Redis.createClient(vertx, "redis://127.0.0.1:" + port);
    }

    @AfterEach
    void stop() throws Exception {
        redis.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    private Response call(Request r) throws Exception {
        return redis.send(r).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void copiesEveryRecordToABoundedStreamAndSurvivesRedisGoingAway() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RedisStreamSink sink = new RedisStreamSink(redis, "ranker:log", 100, false, 1024, registry);
        try (SegmentImpressionLog log = new SegmentImpressionLog(LogConfig.defaults(dir))) {
            log.setSink(sink);
            for (int i = 0; i < 300; i++) assertThat(log.append(SampleRecords.impression("imp-" + i, i))).isTrue();
            assertThat(log.append(SampleRecords.click("imp-299", "x", 1))).isTrue();
            long deadline = System.currentTimeMillis() + 10_000;
            while (sink.published() < 301 && System.currentTimeMillis() < deadline) Thread.sleep(20);
            assertThat(sink.published()).isEqualTo(301);
            assertThat(call(Request.cmd(Command.XLEN).arg("ranker:log")).toLong()).isEqualTo(100);
            Response last = call(Request.cmd(Command.XREVRANGE).arg("ranker:log").arg("+").arg("-").arg("COUNT").arg(2));
            Response fields = last.get(0).get(1);
            assertThat(fields.get(1).toString()).isEqualTo("feedback");
            assertThat(new String(last.get(1).get(1).get(3).toBytes(), StandardCharsets.UTF_8))
                    .startsWith("{\"kind\":\"impression\",\"impressionId\":\"imp-299\"");

            server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            for (int i = 0; i < 50; i++) assertThat(log.append(SampleRecords.impression("after-" + i, i))).isTrue();
            assertThat(log.healthy()).isTrue();
            deadline = System.currentTimeMillis() + 10_000;
            while (sink.failed() + sink.dropped() < 50 && System.currentTimeMillis() < deadline) Thread.sleep(20);
            assertThat(sink.failed() + sink.dropped()).isEqualTo(50);
        }
        assertThat(LogReader.of(dir).stream().count()).isEqualTo(351);
    }
}
