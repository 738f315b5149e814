package io.ranker.logging;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The streaming decoder gives what data binding gives, on what the log writes and on what it never writes. */
class ImpressionDecoderTest {

    private static ImpressionRecord bound(byte[] payload) throws Exception {
        return LogJson.MAPPER.readValue(payload, ImpressionRecord.class);
    }

    private static byte[] written(ImpressionRecord r) throws Exception {
        return LogJson.MAPPER.writeValueAsBytes(new LogJson.Envelope(LogJson.IMPRESSION, r));
    }

    /** Field by field: every value, float bits, and the Java types of untyped attribute values. */
    private static void assertSame(ImpressionRecord fast, ImpressionRecord slow) throws Exception {
        assertThat(LogJson.MAPPER.writeValueAsString(fast)).isEqualTo(LogJson.MAPPER.writeValueAsString(slow));
        assertThat(fast.items()).isEqualTo(slow.items());
        assertThat(fast.context()).isEqualTo(slow.context());
        assertThat(fast.versions()).isEqualTo(slow.versions());
        assertThat(fast.featureHealth()).isEqualTo(slow.featureHealth());
        assertThat(fast.candidates() == null).isEqualTo(slow.candidates() == null);
        if (fast.candidates() == null) return;
        assertThat(fast.candidates()).hasSameSizeAs(slow.candidates());
        for (int i = 0; i < fast.candidates().size(); i++) {
            ImpressionRecord.LoggedCandidate a = fast.candidates().get(i), b = slow.candidates().get(i);
            if (a == null || b == null) {
                assertThat(a).isEqualTo(b);
                continue;
            }
            assertThat(a.id()).isEqualTo(b.id());
            assertThat(Double.doubleToRawLongBits(a.retrievalScore())).isEqualTo(Double.doubleToRawLongBits(b.retrievalScore()));
            assertThat(a.features()).isEqualTo(b.features()); // Arrays.equals on floats: bitwise, NaN == NaN
            assertThat(a.attributes()).isEqualTo(b.attributes()); // Integer(1) != Long(1): types must match too
            if (a.sources() != null) {
                assertThat(a.sources().keySet()).isEqualTo(b.sources().keySet());
                a.sources().forEach((k, v) -> assertThat(v).isEqualTo(b.sources().get(k)));
            } else {
                assertThat(b.sources()).isNull();
            }
        }
    }

    @Test
    void decodesWhatTheLogWritesExactlyAsDataBindingDoes() throws Exception {
        Random rnd = new Random(5);
        for (int i = 0; i < 50; i++) {
            ImpressionRecord r = SampleRecords.impression("imp-" + i, 1_700_000_000_000L + i, i % 3 == 0 ? 0 : 40, 13, rnd);
            byte[] payload = written(r);
            assertThat(ImpressionDecoder.streamed(payload)).as("decoded without data binding").isNotNull();
            assertSame(ImpressionDecoder.decode(payload, "t"), bound(payload));
            assertThat(ImpressionDecoder.streamed(payload).traceId()).matches("[0-9a-f]{32}").isEqualTo(r.traceId());
        }
    }

    @Test
    void awkwardButValidValuesDecodeAlike() throws Exception {
        Random rnd = new Random(9);
        ImpressionRecord base = SampleRecords.impression("imp-x", 5, 3, 4, rnd);
        ObjectNode tree = (ObjectNode) LogJson.MAPPER.readTree(written(base));
        ObjectNode cand = (ObjectNode) tree.withArray("candidates").get(0);
        ObjectNode attrs = cand.with("attributes");
        attrs.putArray("tags").add("a").add("b");
        attrs.putObject("nested").put("x", 1);
        attrs.put("big", 12_345_678_901L);
        attrs.put("small", 7);
        attrs.putNull("gone");
        attrs.put("created_at", 1.7e12);
        cand.putArray("features").add("NaN").add("Infinity").add("-Infinity").add(3); // int as float
        cand.putNull("sources");
        tree.withArray("candidates").addNull();
        tree.put("unknownLater", "x");
        tree.putObject("unknownObject").putArray("deep").add(1);
        tree.putNull("query");
        ((ObjectNode) tree.withArray("items").get(0)).put("modelScore", "NaN").putNull("shadowScores");
        tree.putArray("degraded").add("model:timeout");
        tree.putArray("exposureCapped").add("c1").add("c7");
        tree.remove("mcStdError");
        byte[] payload = LogJson.MAPPER.writeValueAsBytes(tree);
        ImpressionRecord fast = ImpressionDecoder.streamed(payload);
        assertSame(fast, bound(payload));
        assertThat(fast.candidates().get(0).attributes().get("tags")).isEqualTo(List.of("a", "b"));
        assertThat(fast.candidates().get(0).attributes().get("big")).isInstanceOf(Long.class);
        assertThat(fast.candidates().get(0).attributes().get("small")).isInstanceOf(Integer.class);
        assertThat(fast.candidates().get(0).features()[1]).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(fast.candidates().get(3)).isNull();
        assertThat(Double.isNaN(fast.items().get(0).modelScore())).isTrue();
        assertThat(fast.exposureCapped()).containsExactly("c1", "c7");
    }

    @Test
    void anEmptyExposureCappedListIsNotWrittenAndReadsAsEmpty() throws Exception {
        ImpressionRecord r = SampleRecords.impression("imp-e", 5, 3, 4, new Random(2));
        byte[] payload = written(r);
        assertThat(new String(payload, java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("exposureCapped");
        assertThat(ImpressionDecoder.streamed(payload).exposureCapped()).isEmpty();
        assertThat(bound(payload).exposureCapped()).isEmpty();
    }

    @Test
    void anUntracedRecordHasNoTraceIdField() throws Exception {
        ImpressionRecord r = SampleRecords.impression("imp-u", 5, 3, 4, new Random(3));
        ImpressionRecord untraced = new ImpressionRecord(r.impressionId(), r.timestamp(), r.surface(), r.userId(), r.query(),
                r.context(), r.seed(), r.versions(), r.experimentArm(), r.explorer(), r.explored(), r.mcSamples(), r.items(),
                r.featureNames(), r.candidates(), r.featureHealth(), r.degraded(), r.mcStdError(), r.exposureCapped());
        byte[] payload = written(untraced);
        assertThat(new String(payload, java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("traceId");
        assertThat(ImpressionDecoder.streamed(payload).traceId()).isNull();
        assertSame(ImpressionDecoder.streamed(payload), bound(payload));
    }

    @Test
    void shapesItDoesNotHandleGoToDataBinding() throws Exception {
        // coercions data binding performs (number to string, float to int, numeric string to double)
        String[] odd = {
                "{\"kind\":\"impression\",\"impressionId\":42,\"timestamp\":5,\"items\":[]}",
                "{\"kind\":\"impression\",\"impressionId\":\"a\",\"timestamp\":5,\"mcSamples\":3.0,\"items\":[]}",
                "{\"kind\":\"impression\",\"impressionId\":\"a\",\"timestamp\":5,\"items\":[{\"id\":\"x\",\"position\":1,\"propensity\":\"0.5\"}]}",
                "{\"kind\":\"impression\",\"impressionId\":\"a\",\"timestamp\":\"5\",\"items\":[]}",
                "{\"kind\":\"impression\",\"impressionId\":\"a\",\"timestamp\":5} 7",
        };
        for (String json : odd) {
            byte[] payload = json.getBytes(StandardCharsets.UTF_8);
            assertThat(ImpressionDecoder.streamed(payload)).as(json).isNull();
            assertSame(ImpressionDecoder.decode(payload, "t"), bound(payload));
        }
        assertThat(ImpressionDecoder.decode(odd[2].getBytes(StandardCharsets.UTF_8), "t").items().get(0).propensity()).isEqualTo(0.5);
    }

    @Test
    void whatDataBindingRefusesIsRefused() {
        for (String json : new String[]{"{\"impressionId\":\"a\",", "{\"items\":{\"id\":1}}", "[1,2]", "{\"timestamp\":\"soon\"}"}) {
            assertThatThrownBy(() -> ImpressionDecoder.decode(json.getBytes(StandardCharsets.UTF_8), "seg@7"))
                    .isInstanceOf(UncheckedIOException.class).hasMessageContaining("seg@7");
        }
    }

    @Test
    void logEntryUsesIt() throws Exception {
        ImpressionRecord r = SampleRecords.impression("imp-e", 9, 5, 3, new Random(1));
        byte[] payload = written(r);
        LogEntry e = new LogEntry("s", 0, payload);
        assertSame(e.impression(), bound(payload));
        Map<String, Object> probe = new LinkedHashMap<>(e.impression().candidates().get(0).attributes());
        assertThat(probe).containsKeys("category", "brand", "price", "in_stock");
        assertThat(new ArrayList<>(e.impression().items())).hasSize(10);
    }
}
