package io.ranker.features;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FeatureIngestTest {
    final ObjectMapper json = new ObjectMapper();

    @Test
    void writesValidRowsAndRejectsEachMistakeByRow() throws Exception {
        FeatureSchema schema = FeatureSchemaTest.demo();
        InMemoryFeatureStore store = new InMemoryFeatureStore();
        String[] bodies = {
                "{\"entity\":\"item\",\"id\":\"a\",\"values\":{\"popularity\":1.5,\"stock\":3}}",            // 0 ok
                "{\"entity\":\"item\",\"id\":\"b\",\"values\":{\"popularty\":1}}",                            // 1 unknown name
                "{\"entity\":\"item\",\"id\":\"c\",\"values\":{\"stock\":2.5}}",                              // 2 int not integral
                "{\"entity\":\"item\",\"id\":\"d\",\"values\":{\"popularity\":\"high\"}}",                    // 3 wrong type
                "{\"entity\":\"item\",\"id\":\"e\",\"values\":{\"popularity\":\"NaN\"}}",                     // 4 NaN not allowed
                "{\"entity\":\"item\",\"id\":\"f\",\"values\":{\"price\":10}}",                               // 5 computed
                "{\"entity\":\"shop\",\"id\":\"g\",\"values\":{}}",                                           // 6 entity
                "{\"entity\":\"user\",\"id\":\"u\",\"values\":{\"mean_price\":20,\"category_affinity.shoes\":0.5,\"user_vector\":[1,2]}}", // 7 ok
                "{\"entity\":\"user\",\"id\":\"\",\"values\":{}}",                                            // 8 no id
                "{\"entity\":\"user\",\"id\":\"v\",\"values\":{\"category_affinity\":0.5}}",                  // 9 map without key
                "{\"entity\":\"user\",\"id\":\"w\",\"values\":{\"user_vector\":[1,\"x\"]}}",                  // 10 bad vector
                "{\"entity\":\"item\",\"id\":\"h\",\"values\":{\"popularity\":1}}"                            // 11 ok
        };
        List<FeatureRow> rows = new ArrayList<>();
        for (String b : bodies) rows.add(FeatureRow.fromJson(json.readTree(b)));
        FeatureIngest.Result r = new FeatureIngest(schema, store).write(rows).get();
        assertThat(r.accepted()).isEqualTo(3);
        assertThat(r.rejected()).extracting(FeatureIngest.Rejection::row).containsExactly(1, 2, 3, 4, 5, 6, 8, 9, 10);
        assertThat(r.rejected().get(0).pointer()).isEqualTo("/1/values/popularty");
        assertThat(r.rejected().get(0).message()).contains("unknown item feature 'popularty'");
        assertThat(r.rejected().get(3).message()).contains("NaN");
        assertThat(r.rejected().get(4).message()).contains("computed");
        assertThat(store.size()).isEqualTo(3);
        StoredFeatures u = FeatureCodec.decode(store.get(List.of(store.keys().user("u"))).get()[0]);
        assertThat(u.get("category_affinity.shoes")).isEqualTo(0.5f);
        assertThat(u.vector(FeatureCodec.nameId("user_vector"))).containsExactly(1f, 2f);
    }
}
