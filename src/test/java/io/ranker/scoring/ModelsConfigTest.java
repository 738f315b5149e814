package io.ranker.scoring;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class ModelsConfigTest {

    @Test
    void shippedFileAndItsDocumentedExampleParseAndRoundTrip() throws Exception {
        String shipped = Files.readString(Path.of("ranking-config/models.yaml"));
        assertThat(ModelsConfig.parse(shipped).surfaces()).isEmpty();
        // the commented example, uncommented
        String example = shipped.lines().filter(l -> l.startsWith("# ") && l.contains(":") && l.startsWith("#  ")
                        || l.startsWith("# surfaces:"))
                .map(l -> l.substring(2)).collect(Collectors.joining("\n"));
        ModelsConfig cfg = ModelsConfig.parse(example);
        ModelsConfig.SurfaceModels feed = cfg.surfaces().get("feed");
        assertThat(feed.active()).isEqualTo("3f9a0c1d2e4b5a69");
        assertThat(feed.shadow()).containsExactly("8c1e0f2a9b3d4c57");
        assertThat(feed.canary().percent()).isEqualTo(10.0);
        assertThat(feed.experiments().get(0).arms()).hasSize(2);
        assertThat(feed.experiments().get(0).arms().get(1).model()).isEqualTo("77aa00bb11cc22dd");
        assertThat(cfg.referencedVersions()).containsExactlyInAnyOrder(
                "3f9a0c1d2e4b5a69", "8c1e0f2a9b3d4c57", "5d2b7e9f0a1c3e48", "77aa00bb11cc22dd");
        assertThat(ModelsConfig.parse(cfg.toYaml())).isEqualTo(cfg);
    }
}
