package io.ranker.pipeline;

import io.ranker.retrieval.Bm25Source;
import io.ranker.retrieval.PopularSource;
import io.ranker.retrieval.SourceTypes;
import io.ranker.retrieval.VectorSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PipelineConfigParserTest {
    private static PipelineConfig parse(String surface, String yaml) throws Exception {
        return PipelineConfigParser.parse(surface, yaml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shippedPipelinesParse() throws Exception {
        for (String s : new String[]{"search", "feed"}) {
            PipelineConfig c = PipelineConfigParser.parse(s, Files.readAllBytes(Path.of("ranking-config/pipelines/" + s + ".yaml")));
            assertThat(c.sources()).isNotEmpty();
            assertThat(c.version()).hasSize(12);
        }
        PipelineConfig feed = PipelineConfigParser.parse("feed", Files.readAllBytes(Path.of("ranking-config/pipelines/feed.yaml")));
        assertThat(feed.sources()).filteredOn(s -> s.type().equals("vector"))
                .singleElement().satisfies(s -> assertThat(((VectorSource.Settings) s.settings()).userFeature()).isEqualTo("user_vector"));
    }

    @Test
    void reportsEveryMistakeWithWhereItIs() {
        assertThatThrownBy(() -> parse("search", """
                surface: other
                limit: {default: 500, max: 100}
                sources:
                  - {type: bm25, fields: {body: 1}}
                  - {type: magic}
                  - {type: vector, vector: sideways}
                  - {type: vector, vector: query, feature: user_vector}
                colour: red
                """))
                .isInstanceOfSatisfying(PipelineConfigParser.InvalidPipeline.class, e -> assertThat(e.errors())
                        .anySatisfy(m -> assertThat(m).contains("unknown key 'colour'"))
                        .anySatisfy(m -> assertThat(m).contains("does not match the file name"))
                        .anySatisfy(m -> assertThat(m).contains("limit.default 500 exceeds limit.max 100"))
                        .anySatisfy(m -> assertThat(m).contains("sources[0].fields: unknown text field 'body'"))
                        .anySatisfy(m -> assertThat(m).contains("sources[1].type"))
                        .anySatisfy(m -> assertThat(m).contains("sources[2].vector"))
                        .anySatisfy(m -> assertThat(m).contains("sources[3].feature: names the user's vector feature")));
    }

    @Test
    void everySourceTypeReadsItsOwnKeysAndRefusesOthers() throws Exception {
        for (String type : SourceTypes.names()) {
            PipelineConfig c = parse("s", "sources: [{type: " + type + ", limit: 7, weight: 0.5}]\n");
            assertThat(c.sources()).singleElement().satisfies(sc -> {
                assertThat(sc.type()).isEqualTo(type);
                assertThat(sc.limit()).isEqualTo(7);
                assertThat(sc.settings()).isNotNull();
            });
        }
        PipelineConfig search = parse("s", "sources: [{type: bm25, fields: {title: 3}}, {type: popular, by: created_at}]\n");
        assertThat(search.sources().get(0).settings()).isEqualTo(new Bm25Source.Settings(java.util.Map.of("title", 3f)));
        assertThat(search.sources().get(1).settings()).isEqualTo(new PopularSource.Settings("created_at"));
        assertThatThrownBy(() -> parse("s", "sources: [{type: bm25, efSearch: 300}, {type: popular, limt: 5}]\n"))
                .isInstanceOfSatisfying(PipelineConfigParser.InvalidPipeline.class, e -> assertThat(e.errors())
                        .anySatisfy(m -> assertThat(m).startsWith("sources[0]: unknown key 'efSearch'"))
                        .anySatisfy(m -> assertThat(m).startsWith("sources[1]: unknown key 'limt'")));
    }

    @Test
    void refusesAliasBombsAndBrokenYamlWithPosition() {
        StringBuilder bomb = new StringBuilder("a: &a [x,x,x,x,x,x,x,x,x]\n");
        for (int i = 1; i < 30; i++) bomb.append((char) ('a' + i % 26)).append(i).append(": &a").append(i).append(" [*a,*a,*a,*a,*a,*a,*a,*a]\n");
        assertThatThrownBy(() -> parse("search", bomb.toString())).isInstanceOf(PipelineConfigParser.InvalidPipeline.class);
        assertThatThrownBy(() -> parse("search", "sources: [\n  {type: bm25\n"))
                .isInstanceOf(PipelineConfigParser.InvalidPipeline.class).hasMessageContaining("line");
    }

    @Test
    void contentHashChangesWithContent() throws Exception {
        String a = "sources: [{type: bm25}]\n";
        assertThat(parse("s", a).version()).isEqualTo(parse("s", a).version()).isNotEqualTo(parse("s", a + "# changed\n").version());
    }
}
