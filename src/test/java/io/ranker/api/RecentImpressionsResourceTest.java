package io.ranker.api;

import io.ranker.logging.FeedbackEvent;
import io.ranker.logging.ImpressionRecord;
import io.ranker.logging.LogConfig;
import io.ranker.logging.SegmentImpressionLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RecentImpressionsResourceTest {

    private static ImpressionRecord impression(String id, long ts, String surface, String user, String query) {
        List<ImpressionRecord.ShownItem> items = List.of(
                new ImpressionRecord.ShownItem("a", 1, 1, 1, 1, 1, 1, Map.of()),
                new ImpressionRecord.ShownItem("b", 2, 1, 1, 1, 1, 1, Map.of()));
        return new ImpressionRecord(id, ts, surface, user, query, Map.of("segment", "vip"), 7L, Map.of("policy", "p1"),
                null, "none", false, 0, items, null, null, Map.of(), List.of());
    }

    @Test
    void newestFirstOnlyTheSurfaceAskedForAndAtMostLimit(@TempDir Path dir) {
        long now = System.currentTimeMillis();
        try (SegmentImpressionLog log = new SegmentImpressionLog(LogConfig.defaults(dir))) {
            for (int i = 0; i < 30; i++) {
                log.append(impression("imp-" + i, now - 60_000 + i * 1000L, i % 3 == 0 ? "feed" : "search", "u" + i, "q" + i));
                log.append(new FeedbackEvent("imp-" + i, "a", "click", null, now, null, now));
            }
        }
        List<RecentImpressionsResource.LoggedRequest> recent = RecentImpressionsResource.tail(dir, "search", 5, now);
        assertThat(recent).extracting(RecentImpressionsResource.LoggedRequest::impressionId)
                .containsExactly("imp-29", "imp-28", "imp-26", "imp-25", "imp-23");
        RecentImpressionsResource.LoggedRequest r = recent.get(0);
        assertThat(r.surface()).isEqualTo("search");
        assertThat(r.userId()).isEqualTo("u29");
        assertThat(r.query()).isEqualTo("q29");
        assertThat(r.context()).containsEntry("segment", "vip");
        assertThat(r.shown()).isEqualTo(2);
        assertThat(r.withCandidates()).isFalse();
        assertThat(r.policyVersion()).isEqualTo("p1");
        assertThat(RecentImpressionsResource.tail(dir, "feed", 100, now)).hasSize(10);
        assertThat(RecentImpressionsResource.tail(dir, null, 100, now)).hasSize(30);
    }

    @Test
    void looksFurtherBackWhenTheLastMinutesHoldTooFew(@TempDir Path dir) {
        long now = System.currentTimeMillis();
        try (SegmentImpressionLog log = new SegmentImpressionLog(LogConfig.defaults(dir))) {
            log.append(impression("old", now - 3 * 3600_000L, "feed", "u1", null));
            log.append(impression("new", now - 1000, "feed", "u2", null));
        }
        assertThat(RecentImpressionsResource.tail(dir, "feed", 5, now))
                .extracting(RecentImpressionsResource.LoggedRequest::impressionId).containsExactly("new", "old");
        assertThat(RecentImpressionsResource.tail(dir, "feed", 1, now))
                .extracting(RecentImpressionsResource.LoggedRequest::impressionId).containsExactly("new");
    }

    @Test
    void anEmptyLogHasNoRecentRequests(@TempDir Path dir) {
        assertThat(RecentImpressionsResource.tail(dir, "feed", 5, System.currentTimeMillis())).isEmpty();
    }
}
