package io.ranker.features;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FeatureSchemaTest {

    static FeatureSchema demo() {
        try {
            return FeatureSchema.load(Path.of("ranking-config/features.yaml"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void demoSchemaHasAllGroupsInFileOrder() throws Exception {
        FeatureSchema s = demo();
        assertThat(s.width()).isBetween(15, 30);
        assertThat(s.columnNames()).startsWith("popularity", "ctr_7d").contains(
                "bm25_score", "bm25_rank", "vector_score", "vector_rank", "popular_score", "popular_rank",
                "user_item_cosine", "price_to_user_mean", "user_category_affinity", "ctr_rt", "device_mobile");
        for (FeatureGroup g : FeatureGroup.values()) assertThat(s.columns(g)).as(g.key()).isNotEmpty();
        for (int i = 0; i < s.width(); i++) assertThat(s.columns().get(i).column()).isEqualTo(i);
        // vectors and maps are stored, not columns
        assertThat(s.feature("user_vector").isColumn()).isFalse();
        assertThat(s.feature("category_affinity").type()).isEqualTo(FeatureType.MAP);
        assertThat(s.maxAge(FeatureGroup.ITEM).toHours()).isEqualTo(48);
        assertThat(s.maxAge(FeatureGroup.REQUEST)).isNull();
        assertThat(s.version()).hasSize(12);
    }

    @Test
    void versionIsTheContentHash() {
        String a = "groups:\n  item:\n    features:\n      - {name: x}\n";
        assertThat(FeatureSchema.parse(a).version()).isEqualTo(FeatureSchema.parse(a).version());
        assertThat(FeatureSchema.parse(a).version()).isNotEqualTo(FeatureSchema.parse(a + "# changed\n").version());
    }

    @Test
    void rejectsMistakesWithTheirLocation() {
        for (var c : List.of(
                List.of("groups:\n  item:\n    features:\n      - {name: x}\n      - {name: x}\n", "duplicate feature name 'x'"),
                List.of("groups:\n  itme:\n    features: []\n", "unknown feature group 'itme'"),
                List.of("groups:\n  item:\n    features:\n      - {name: x, source: 'hit:bm25:score'}\n", "not allowed in group item"),
                List.of("groups:\n  retrieval:\n    features:\n      - {name: x, source: 'hit:bm25'}\n", "hit:<source>:score"),
                List.of("groups:\n  cross:\n    features:\n      - {name: x, source: 'cosine:nope'}\n", "'nope' must be a user feature of type vector"),
                List.of("groups:\n  item:\n    features:\n      - {name: x, type: double}\n", "unknown feature type 'double'"),
                List.of("groups:\n  item:\n    max_age: soon\n    features: []\n", "max_age 'soon'"),
                List.of("groups:\n  item:\n    features:\n      - {name: 'bad name'}\n", "features[0]"))) {
            assertThatThrownBy(() -> FeatureSchema.parse(c.get(0))).as(c.get(1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(c.get(1));
        }
    }
}
