package io.ranker.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** replay.html: its charts are well-formed SVG whose numbers are the ones in replay.json, and user text is escaped. */
class ReplayHtmlTest {
    @TempDir
    static Path root;
    static ReplayReport report;
    static Path out;

    @BeforeAll
    static void replay() throws Exception {
        ServedLog served = new ServedLog(root);
        served.serve(1500, 1, 1.0);
        // the capped policy changes the lists, so there is an exposure shift and a non-zero change to draw
        report = new ReplayRun(served.sources(), ReplayRequest.of("feed").withPolicy(ServedLog.CAPPED_POLICY)).run(null);
        out = root.resolve("report");
        report.write(out);
    }

    @Test
    void chartsCarryTheNumbersOfReplayJson() throws Exception {
        String html = Files.readString(out.resolve("replay.html"));
        JsonNode json = new ObjectMapper().readTree(out.resolve("replay.json").toFile());
        assertThat(html).startsWith("<!doctype html>").doesNotContain("<script").doesNotContain("src=\"http").doesNotContain("href=\"http");
        List<Element> svgs = svgs(html);
        assertThat(svgs).hasSize(5); // estimates, change, exposure by category and by brand, weights

        Map<String, Element> estimates = rows(svgs.get(0));
        JsonNode ope = json.get("offPolicy");
        int checked = 0;
        for (var it = ope.get("candidate").get("estimates").fields(); it.hasNext(); ) {
            var e = it.next();
            String label = ReplayReport.estimatorLabel(e.getKey());
            checked += sameInterval(estimates.get(label + " · candidate"), e.getValue());
            checked += sameInterval(estimates.get(label + " · logged"), ope.get("logged").get("estimates").get(e.getKey()));
        }
        assertThat(checked).as("estimate rows compared").isGreaterThanOrEqualTo(8);
        sameInterval(estimates.get("observed · logged lists"), ope.get("logged").get("loggedValue"));

        Map<String, Element> change = rows(svgs.get(1));
        for (var it = ope.get("change").fields(); it.hasNext(); ) {
            var e = it.next();
            Element row = change.get(ReplayReport.estimatorLabel(e.getKey()));
            assertThat(Double.parseDouble(row.getAttribute("data-value"))).isEqualTo(e.getValue().get("difference").asDouble());
            if (e.getValue().has("differenceCi95")) {
                assertThat(Double.parseDouble(row.getAttribute("data-lo"))).isEqualTo(e.getValue().get("differenceCi95").get(0).asDouble());
                assertThat(Double.parseDouble(row.getAttribute("data-hi"))).isEqualTo(e.getValue().get("differenceCi95").get(1).asDouble());
            }
        }

        JsonNode shift = json.get("rankingChanges").get("exposureShift");
        assertThat(shift.size()).isEqualTo(2);
        int i = 2;
        for (var it = shift.fields(); it.hasNext(); i++) {
            var attr = it.next();
            assertThat(svgs.get(i).getElementsByTagName("title").item(0).getTextContent()).contains(attr.getKey());
            Map<String, Element> bars = rows(svgs.get(i));
            assertThat(bars).hasSize(attr.getValue().size());
            for (JsonNode r : attr.getValue()) {
                Element bar = bars.get(r.get("value").asText());
                assertThat(Double.parseDouble(bar.getAttribute("data-value"))).isEqualTo(r.get("shift").asDouble());
                assertThat(bar.getTextContent()).contains(String.format(java.util.Locale.ROOT, "%+.2f pp", 100 * r.get("shift").asDouble()));
            }
        }

        // the weight histogram: one bar per bin of replay.json, adding up to the candidate's slots
        JsonNode bins = ope.get("candidate").get("weightHistogram");
        Element histogram = svgs.get(svgs.size() - 1);
        assertThat(histogram.getAttribute("data-chart")).isEqualTo("histogram");
        NodeList bars = histogram.getElementsByTagName("g");
        assertThat(bars.getLength()).isEqualTo(bins.size());
        long sum = 0;
        for (int b = 0; b < bins.size(); b++) {
            long slots = bins.get(b).get("slots").asLong();
            assertThat(Double.parseDouble(((Element) bars.item(b)).getAttribute("data-value"))).isEqualTo(slots);
            sum += slots;
        }
        assertThat(sum).isEqualTo(ope.get("candidate").get("slots").asLong());
        assertThat(((Element) bars.item(0)).getAttribute("data-label")).isEqualTo("0");
        assertThat(((Element) bars.item(bins.size() - 1)).getAttribute("data-label")).isEqualTo("≥ 100");
    }

    @Test
    @SuppressWarnings("unchecked")
    void textFromUserDataIsEscaped() throws Exception {
        Map<String, Object> json = ReplayReport.clean(report.json()); // a deep copy
        json.put("surface", "feed\"><script>alert(1)</script>");
        Map<String, Object> changes = (Map<String, Object>) json.get("rankingChanges");
        List<Map<String, Object>> brands = (List<Map<String, Object>>) ((Map<String, Object>) changes.get("exposureShift")).get("brand");
        Map<String, Object> evil = new HashMap<>(brands.get(0));
        evil.put("value", "x\" onload=\"alert(1)<svg>&");
        brands.set(0, evil);
        String html = ReplayHtml.render(json);
        assertThat(html).doesNotContain("<script").doesNotContain("onload=\"");
        assertThat(html).contains("feed&quot;&gt;&lt;script&gt;").contains("data-label=\"x&quot; onload=&quot;alert(1)&lt;svg&gt;&amp;\"");
        List<Element> svgs = svgs(html); // still well-formed
        assertThat(rows(svgs.get(svgs.size() - 2))).containsKey("x\" onload=\"alert(1)<svg>&");
    }

    private static int sameInterval(Element row, JsonNode estimate) {
        assertThat(row).as("chart row for " + estimate).isNotNull();
        assertThat(Double.parseDouble(row.getAttribute("data-value"))).isEqualTo(estimate.get("value").asDouble());
        assertThat(Double.parseDouble(row.getAttribute("data-lo"))).isEqualTo(estimate.get("ci95").get(0).asDouble());
        assertThat(Double.parseDouble(row.getAttribute("data-hi"))).isEqualTo(estimate.get("ci95").get(1).asDouble());
        // the printed text shows the same figures
        assertThat(row.getTextContent()).contains(String.format(java.util.Locale.ROOT, "%.4f [%.4f, %.4f]",
                estimate.get("value").asDouble(), estimate.get("ci95").get(0).asDouble(), estimate.get("ci95").get(1).asDouble()));
        return 1;
    }

    private static Map<String, Element> rows(Element svg) {
        Map<String, Element> m = new HashMap<>();
        NodeList gs = svg.getElementsByTagName("g");
        for (int i = 0; i < gs.getLength(); i++) {
            Element g = (Element) gs.item(i);
            m.put(g.getAttribute("data-label"), g);
        }
        return m;
    }

    /** Every inline SVG of the page, parsed as XML (which fails on anything not well-formed or badly escaped). */
    static List<Element> svgs(String html) throws Exception {
        List<Element> out = new ArrayList<>();
        Matcher m = Pattern.compile("<svg .*?</svg>", Pattern.DOTALL).matcher(html);
        while (m.find()) {
            var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new ByteArrayInputStream(m.group().getBytes(StandardCharsets.UTF_8)));
            out.add(doc.getDocumentElement());
        }
        return out;
    }
}
