package io.ranker.logging;

import io.ranker.core.FieldError;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ranker.api.Problem;
import io.ranker.core.DomainException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FeedbackServiceTest {
    private static final long NOW = 1_790_000_000_000L;

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Clock clock = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);

    private static byte[] json(String s) {
        return s.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
    }

    private SegmentImpressionLog log() {
        return new SegmentImpressionLog(LogConfig.defaults(dir), clock, registry);
    }

    @Test
    void acceptsJoinsLogsAndTellsListeners() throws Exception {
        List<String> heard = new ArrayList<>();
        ImpressionRecord imp = SampleRecords.impression("imp-1", NOW - 5_000);
        String third = imp.items().get(2).id();
        try (SegmentImpressionLog log = log()) {
            log.append(imp);
            FeedbackService fs = new FeedbackService(log, FeedbackRules.defaults(), clock, registry);
            fs.addListener((e, i, pos) -> heard.add(e.type() + "@" + pos + ":" + (i == null ? "?" : i.surface())));
            FeedbackService.Accepted a = fs.submit(json("{'impressionId':'imp-1','itemId':'" + third + "','type':'click'}"));
            assertThat(a.duplicate()).isFalse();
            assertThat(a.impressionKnown()).isTrue();
            fs.submit(json("{'impressionId':'imp-other-replica','itemId':'x','type':'dwell','value':2500,'timestamp':" + (NOW - 1000) + "}"));
            fs.submit(json("{'impressionId':'imp-1','itemId':'never-shown','type':'click'}"));
            // logged, but neither counts in real time: one names no served impression, the other no item it showed
            assertThat(heard).containsExactly("click@3:feed");
            assertThat(registry.counter("ranker.feedback.unknown.impressions").count()).isEqualTo(1);
            assertThat(registry.counter("ranker.feedback.unshown.items").count()).isEqualTo(1);
        }
        List<FeedbackEvent> logged = LogReader.of(dir).stream().filter(LogEntry::isFeedback).map(LogEntry::feedback)
                .collect(Collectors.toList());
        assertThat(logged).containsExactly(
                new FeedbackEvent("imp-1", third, "click", null, NOW, null, NOW),
                new FeedbackEvent("imp-other-replica", "x", "dwell", 2500.0, NOW - 1000, null, NOW),
                new FeedbackEvent("imp-1", "never-shown", "click", null, NOW, null, NOW));
    }

    @Test
    void aRepeatedEventIdIsAcceptedButLoggedOnce() throws Exception {
        try (SegmentImpressionLog log = log()) {
            FeedbackService fs = new FeedbackService(log, FeedbackRules.defaults(), clock, registry);
            byte[] body = json("{'impressionId':'i','itemId':'a','type':'conversion','value':19.99,'eventId':'ev-7'}");
            assertThat(fs.submit(body).duplicate()).isFalse();
            assertThat(fs.submit(body).duplicate()).isTrue();
            assertThat(fs.submit(json("{'impressionId':'i','itemId':'a','type':'conversion','eventId':'ev-8'}")).duplicate()).isFalse();
        }
        assertThat(LogReader.of(dir).stream().count()).isEqualTo(2);
        assertThat(registry.counter("ranker.feedback.duplicates").count()).isEqualTo(1);
    }

    @Test
    void dedupeAndJoinSurviveARestart() throws Exception {
        ImpressionRecord imp = SampleRecords.impression("imp-r", NOW - 5_000);
        byte[] body = json("{'impressionId':'imp-r','itemId':'a','type':'click','eventId':'ev-r'}");
        try (SegmentImpressionLog log = log()) {
            log.append(imp);
            new FeedbackService(log, FeedbackRules.defaults(), clock, registry).submit(body);
        } // e.g. killed before the response reached the client, which retries against the restarted service
        try (SegmentImpressionLog log = log()) {
            FeedbackService fs = new FeedbackService(log, FeedbackRules.defaults(), clock, registry);
            FeedbackService.Accepted retry = fs.submit(body);
            assertThat(retry.duplicate()).isTrue();
            assertThat(retry.impressionKnown()).isTrue();
        }
        assertThat(LogReader.of(dir).stream().filter(LogEntry::isFeedback).count()).isEqualTo(1);
    }

    @Test
    void theDedupeWindowIsBounded() throws Exception {
        try (SegmentImpressionLog log = log()) {
            FeedbackRules small = new FeedbackRules(FeedbackRules.DEFAULT_TYPES, 3, FeedbackRules.defaults().maxFutureSkew(),
                    FeedbackRules.defaults().maxAge());
            FeedbackService fs = new FeedbackService(log, small, clock, registry);
            for (int i = 0; i < 5; i++) fs.submit(new FeedbackEvent("i", "a", "click", null, NOW, "ev-" + i, NOW));
            assertThat(fs.submit(new FeedbackEvent("i", "a", "click", null, NOW, "ev-4", NOW)).duplicate()).isTrue();
            assertThat(fs.submit(new FeedbackEvent("i", "a", "click", null, NOW, "ev-0", NOW)).duplicate()).isFalse();
        }
    }

    @Test
    void badInputIsA400NamingEachField() throws Exception {
        try (SegmentImpressionLog log = log()) {
            FeedbackService fs = new FeedbackService(log, FeedbackRules.defaults(), clock, registry);
            assertRejected(fs, "{'impressionId':'i','itemId':'a','type':'teleport'}", "/type");
            assertRejected(fs, "{'itemId':'a','type':'click'}", "/impressionId");
            assertRejected(fs, "{'impressionId':'  ','type':'click'}", "/impressionId", "/itemId");
            assertRejected(fs, "{'impressionId':'i','itemId':'a','type':'dwell','value':-5}", "/value");
            assertRejected(fs, "{'impressionId':'i','itemId':'a','type':'dwell'}", "/value");
            assertRejected(fs, "{'impressionId':'i','itemId':'a','type':'click','value':'high'}", "/value");
            assertRejected(fs, "{'impressionId':'i','itemId':'a','type':'click','value':1e400}", "/value");
            assertRejected(fs, "{'impressionId':'i','itemId':'a','type':'click','timestamp':" + (NOW + 86_400_000L) + "}", "/timestamp");
            assertRejected(fs, "{'impressionId':'i','itemId':'a','type':'click','timestamp':" + NOW / 1000 + "}", "/timestamp");
            assertRejected(fs, "{'impressionId':'i','itemId':'a','type':'click','timestamp':'last tuesday'}", "/timestamp");
            assertRejected(fs, "{'impressionId':7,'itemId':'a','type':'click'}", "/impressionId");
            assertRejected(fs, "{'impressionId':'i','itemId':'a','type':'click','value':NaN}", "");
            assertRejected(fs, "{'impressionId':'i',", "");
            assertRejected(fs, "[1,2]", "");
            assertRejected(fs, "", "");
            assertRejected(fs, "{'impressionId':'i','itemId':'a','type':'click','timestmap':1}", "/timestmap");
            // an ISO timestamp is fine
            fs.submit(json("{'impressionId':'i','itemId':'a','type':'like','timestamp':'" + Instant.ofEpochMilli(NOW - 60_000) + "'}"));
        }
        assertThat(LogReader.of(dir).stream().count()).isEqualTo(1);
        assertThat(registry.counter("ranker.feedback.rejected").count()).isEqualTo(16);
    }

    private static void assertRejected(FeedbackService fs, String body, String... pointers) {
        assertThatThrownBy(() -> fs.submit(json(body)))
                .isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(e.kind()).isEqualTo(DomainException.Kind.INVALID);
                    if (pointers.length == 1 && pointers[0].isEmpty()) {
                        assertThat(e.getMessage()).isNotBlank();
                    } else {
                        assertThat(e.errors()).extracting(FieldError::pointer).containsExactlyInAnyOrder(pointers);
                    }
                });
    }

    @Test
    void whenTheLogFailsFeedbackIsA503AndTheEventIdStaysRetryable() throws Exception {
        Path file = dir.resolve("not-a-dir");
        java.nio.file.Files.writeString(file, "x");
        try (SegmentImpressionLog broken = new SegmentImpressionLog(LogConfig.defaults(file.resolve("logs")), clock, registry)) {
            FeedbackService fs = new FeedbackService(broken, FeedbackRules.defaults(), clock, registry);
            byte[] body = json("{'impressionId':'i','itemId':'a','type':'click','eventId':'ev-1'}");
            for (int attempt = 0; attempt < 2; attempt++) {
                assertThatThrownBy(() -> fs.submit(body)).isInstanceOfSatisfying(DomainException.class,
                        e -> assertThat(e.kind()).isEqualTo(DomainException.Kind.UNAVAILABLE));
            }
        }
    }

    @Test
    void aThrowingListenerDoesNotFailTheRequest() throws Exception {
        try (SegmentImpressionLog log = log()) {
            ImpressionRecord imp = SampleRecords.impression("i", NOW - 1_000);
            log.append(imp);
            FeedbackService fs = new FeedbackService(log, FeedbackRules.defaults(), clock, registry);
            fs.addListener((e, i, p) -> {
                throw new IllegalStateException("counter store down");
            });
            assertThat(fs.submit(json("{'impressionId':'i','itemId':'" + imp.items().get(0).id() + "','type':'click'}")).duplicate()).isFalse();
            assertThat(registry.counter("ranker.feedback.listener.failures").count()).isEqualTo(1);
        }
    }

    /** Finding 2: feedback on an impression id the service did not sign is kept for audit but moves no counter. */
    @Test
    void feedbackOnAnUnverifiedImpressionIsLoggedButNobodyHearsOfIt() throws Exception {
        io.ranker.auth.ImpressionSigner signer = new io.ranker.auth.ImpressionSigner(
                List.of("a-secret-of-at-least-thirty-two-bytes!!".getBytes(StandardCharsets.UTF_8)));
        String real = signer.sign("imp-real");
        List<String> heard = new ArrayList<>();
        try (SegmentImpressionLog log = log()) {
            ImpressionRecord served = SampleRecords.impression(real, NOW - 1_000); // counted only once served
            log.append(served);
            String item = served.items().get(0).id();
            FeedbackService fs = new FeedbackService(log, FeedbackRules.defaults(), clock, registry);
            fs.verifyImpressionIds(signer::authentic);
            fs.addListener((e, i, pos) -> heard.add(e.impressionId()));
            for (int k = 0; k < 200; k++) {
                FeedbackService.Accepted a = fs.submit(json("{'impressionId':'made-up-" + k + "','itemId':'" + item + "','type':'click'}"));
                assertThat(a.impressionKnown()).isFalse();
            }
            fs.submit(json("{'impressionId':'" + real.replace("imp-real", "imp-fake") + "','itemId':'" + item + "','type':'click'}"));
            fs.submit(json("{'impressionId':'" + real + "','itemId':'" + item + "','type':'click'}"));
        }
        assertThat(heard).containsExactly(real);
        assertThat(registry.counter("ranker.feedback.unverified").count()).isEqualTo(201);
        assertThat(LogReader.of(dir).stream().filter(LogEntry::isFeedback).count()).as("all kept for audit").isEqualTo(202);
    }
}
