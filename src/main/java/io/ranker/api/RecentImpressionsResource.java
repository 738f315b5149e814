package io.ranker.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.ranker.auth.Scope;
import io.ranker.logging.ImpressionRecord;
import io.ranker.logging.LogEntry;
import io.ranker.logging.LogJson;
import io.ranker.logging.LogReader;
import io.ranker.logging.SegmentImpressionLog;
import io.ranker.policy.PolicyRegistry;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The most recent requests served on a surface, read from the tail of the impression log (every replica under the
 * log root, merged by time), so the policy console can preview a rule change on a real request ("pick a recent logged
 * request").
 */
@org.eclipse.microprofile.openapi.annotations.tags.Tag(name = OpenApiDocument.IMPRESSIONS)
@Path("/v1/impressions")
@RequiresScope(Scope.ADMIN) // user ids and queries of served traffic
@Produces(MediaType.APPLICATION_JSON)
public class RecentImpressionsResource {
    static final int MAX_LIMIT = 100;
    /** Looks back this far first, then further, so a busy log is not read from its start. */
    private static final List<Duration> LOOK_BACK = List.of(Duration.ofMinutes(10), Duration.ofHours(2),
            Duration.ofDays(1), Duration.ofDays(30));

    private final SegmentImpressionLog log;

    public RecentImpressionsResource(SegmentImpressionLog log) {
        this.log = log;
    }

    /**
     * A logged request, as needed to send it again.
     *
     * @param time          ISO-8601 instant it was served
     * @param shown         how many items were shown
     * @param withCandidates whether its full candidate set was logged (replay re-ranks those exactly)
     */
    public record LoggedRequest(String impressionId, String time, String surface, String userId, String query,
                                Map<String, String> context, int shown, boolean withCandidates,
                                String policyVersion) {
        static LoggedRequest of(ImpressionRecord r) {
            return new LoggedRequest(r.impressionId(), Instant.ofEpochMilli(r.timestamp()).toString(), r.surface(),
                    r.userId(), r.query(), r.context() == null ? Map.of() : r.context(),
                    r.items() == null ? 0 : r.items().size(), r.candidates() != null,
                    r.versions() == null ? null : r.versions().get("policy"));
        }
    }

    @GET
    @Path("/recent")
    public List<LoggedRequest> recent(@QueryParam("surface") String surface,
                                      @QueryParam("limit") @DefaultValue("20") int limit) {
        if (surface != null && !PolicyRegistry.validSurface(surface)) {
            throw ProblemException.badRequest("surface", "'surface' must be 1-64 lowercase letters, digits, '_' or '-'");
        }
        if (limit < 1 || limit > MAX_LIMIT) throw ProblemException.badRequest("limit", "'limit' must be between 1 and " + MAX_LIMIT);
        return tail(log.config().root(), surface, limit, System.currentTimeMillis());
    }

    /** Newest first: the last {@code limit} impressions of {@code surface} (any surface when null). */
    static List<LoggedRequest> tail(java.nio.file.Path dir, String surface, int limit, long nowMillis) {
        Deque<LogEntry> last = new ArrayDeque<>(limit);
        for (Duration back : LOOK_BACK) {
            last.clear();
            try (Stream<LogEntry> entries = LogReader.of(dir).between(nowMillis - back.toMillis(), Long.MAX_VALUE).stream()) {
                entries.filter(LogEntry::isImpression).filter(e -> surface == null || surface.equals(surfaceOf(e))).forEach(e -> {
                    if (last.size() == limit) last.removeFirst();
                    last.addLast(e);
                });
            }
            if (last.size() == limit) break;
        }
        List<LoggedRequest> out = new ArrayList<>(last.size());
        last.descendingIterator().forEachRemaining(e -> out.add(LoggedRequest.of(e.impression())));
        return out;
    }

    /** Reads the top-level "surface" without decoding the (possibly large) candidate set. */
    private static String surfaceOf(LogEntry e) {
        try (JsonParser p = LogJson.MAPPER.getFactory().createParser(e.payload())) {
            if (p.nextToken() != JsonToken.START_OBJECT) return null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if ("surface".equals(name)) return v == JsonToken.VALUE_STRING ? p.getText() : null;
                p.skipChildren();
            }
        } catch (IOException ex) {
            // a record that is not JSON is not a request to preview
        }
        return null;
    }
}
