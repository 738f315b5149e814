package io.ranker.replay;

import io.ranker.logging.ImpressionRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replay runs the pipeline's ranking half, fallback-source demotion included: candidates only a fallback source found
 * (declared in the surface's pipeline file) are placed after the others in replay as in serving, so such lists are
 * reproduced exactly.
 */
class ReplayFallbackSourcesTest {

    @Test
    void listsWithFallbackOnlyCandidatesAreReproducedExactly(@TempDir Path root) throws Exception {
        ServedLog served = new ServedLog(root);
        served.usePopularFallback();
        served.serve(60, 12, 1.0);
        ReplaySources sources = served.sources();
        assertThat(sources.fallbackSources()).containsExactly("popular");

        // serving demoted them: the model (which knows nothing of sources) never got one into a shown list
        List<ImpressionRecord> records = ReplayPolicyAttributesTest.impressions(sources.logDirs());
        for (ImpressionRecord r : records) {
            Set<String> fallbackOnly = new HashSet<>();
            for (ImpressionRecord.LoggedCandidate c : r.candidates()) {
                if (c.sources().keySet().equals(Set.of("popular"))) fallbackOnly.add(c.id());
            }
            assertThat(fallbackOnly).hasSize(20);
            assertThat(r.items()).noneMatch(s -> fallbackOnly.contains(s.id()));
        }

        ReplayReport report = new ReplayRun(sources, ReplayRequest.of("feed")).run(null);
        assertThat(report.reproducedShare()).isEqualTo(1.0);

        // negative control: a replay that does not demote them (the old replay) changes most lists
        ReplaySources unaware = new ReplaySources(sources.logDirs(), sources.modelsDir(), sources.policies(),
                sources.policyFile(), sources.loggedExplorer(), Set.of());
        assertThat(new ReplayRun(unaware, ReplayRequest.of("feed")).run(null).reproducedShare()).isLessThan(0.5);
    }
}
