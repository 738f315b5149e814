package io.ranker.explore;

import io.ranker.core.DomainException;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ExplorerConfigParserTest {

    @Test
    void parsesEveryFieldInKebabAndCamelCase() {
        Map<String, Object> yaml = new LinkedHashMap<>();
        yaml.put("type", "plackett-luce");
        yaml.put("epsilon", 0.25);
        yaml.put("temperature", 2);
        yaml.put("top-k", 40);
        yaml.put("topN", 6);
        yaml.put("protected_positions", 2);
        yaml.put("exposure-cap", 0.3);
        yaml.put("exposure-window", 5000);
        yaml.put("mc-samples", 1000);
        yaml.put("exact-max-pool", 10);
        yaml.put("enabled", false);
        ExplorerConfig cfg = ExplorerConfigParser.parse(yaml, "/explorer");
        assertThat(cfg).isEqualTo(new ExplorerConfig("plackett-luce", 0.25, 2.0, 6, 40, 2, 0.3, 5000, 1000, 10, false));
        assertThat(cfg.explores()).isFalse();
    }

    @Test
    void absentSectionMeansNoExploration() {
        assertThat(ExplorerConfigParser.parse(null, "/explorer")).isEqualTo(ExplorerConfig.DISABLED);
        assertThat(ExplorerFactory.create(ExplorerConfig.DISABLED)).isSameAs(NoExplorer.INSTANCE);
    }

    @Test
    void reportsEveryMistakeWithItsPointer() {
        Map<String, Object> yaml = new LinkedHashMap<>();
        yaml.put("type", "thompson");
        yaml.put("epsilon", 1.5);
        yaml.put("temperature", "hot");
        yaml.put("top-n", 2.5);
        yaml.put("exposure-cap", 0);
        yaml.put("mc-samples", 10);
        yaml.put("enabled", "yes");
        yaml.put("epsilion", 0.1);
        DomainException e = catchThrowableOfType(DomainException.class,
                () -> ExplorerConfigParser.parse(yaml, "/explorer"));
        assertThat(e.kind()).isEqualTo(DomainException.Kind.UNPROCESSABLE);
        assertThat(e.errors()).extracting(f -> f.pointer()).containsExactlyInAnyOrder(
                "/explorer/type", "/explorer/epsilon", "/explorer/temperature", "/explorer/top-n",
                "/explorer/exposure-cap", "/explorer/mc-samples", "/explorer/enabled", "/explorer/epsilion");
        assertThat(e.getMessage()).contains("unknown explorer type 'thompson'");
    }

    @Test
    void collectsPlainMessagesForPipelineValidation() {
        java.util.List<String> errors = new java.util.ArrayList<>();
        assertThat(ExplorerConfigParser.parse(Map.of("type", "shuffle-top-n", "top-n", 1), errors)).isNull();
        assertThat(errors).singleElement().asString().startsWith("explorer.top-n: top-n must be in [2, 1000]");
        errors.clear();
        assertThat(ExplorerConfigParser.parse(Map.of(), errors)).isEqualTo(ExplorerConfig.DISABLED);
        assertThat(errors).isEmpty();
    }

    @Test
    void rejectsANonMapping() {
        assertThatThrownBy(() -> ExplorerConfigParser.parse("plackett-luce", "/explorer"))
                .isInstanceOf(DomainException.class).hasMessageContaining("mapping");
    }

    @Test
    void everyRegisteredTypeParsesAndBuildsItsExploreBranch() {
        for (ExplorerType t : ExplorerTypes.ALL) {
            ExplorerConfig cfg = ExplorerConfigParser.parse(Map.of("type", t.name(), "epsilon", 1.0), "/explorer");
            assertThat(cfg.type()).isEqualTo(t.name());
            assertThat(ExplorerFactory.create(cfg)).isInstanceOf(StochasticExplorer.class);
            assertThat(ExplorerFactory.sampler(cfg).name()).startsWith(t.name());
        }
        assertThatThrownBy(() -> ExplorerFactory.sampler(ExplorerConfig.DISABLED)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void factoryBuildsTheConfiguredPolicy() {
        ExplorerConfig pl = ExplorerConfig.defaults("plackett-luce");
        assertThat(ExplorerFactory.create(pl)).isInstanceOf(MixtureExplorer.class);
        assertThat(((MixtureExplorer) ExplorerFactory.create(pl)).epsilon()).isEqualTo(0.1);
        assertThat(ExplorerFactory.create(pl.withEpsilon(1.0))).isInstanceOf(PlackettLuceExplorer.class);
        assertThat(ExplorerFactory.create(pl.withEpsilon(0.0))).isSameAs(NoExplorer.INSTANCE);
        assertThat(ExplorerFactory.create(pl.withEnabled(false))).isSameAs(NoExplorer.INSTANCE);
        assertThat(ExplorerFactory.create(ExplorerConfig.defaults("shuffle-top-n").withEpsilon(1.0)))
                .isInstanceOf(ShuffleTopNExplorer.class);
    }
}
