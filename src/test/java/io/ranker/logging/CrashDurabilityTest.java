package io.ranker.logging;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** kill -9 a process that is appending: every record whose append returned is in the log afterwards. */
class CrashDurabilityTest {
    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedRecordSurvivesKillMinus9() throws Exception {
        for (int round = 0; round < 2; round++) { // the second round also recovers over the first's tail
            Set<String> ackedImpressions = new HashSet<>();
            Set<String> ackedFeedback = new HashSet<>();
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    CrashChild.class.getName(), dir.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            int target = 3_000 + round * 1_234;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("I ")) ackedImpressions.add(line.substring(2));
                    else if (line.startsWith("F ")) ackedFeedback.add(line.substring(2));
                    if (ackedImpressions.size() + ackedFeedback.size() >= target) {
                        // SIGKILL while the child keeps appending (through the handle: Process.destroyForcibly
                        // would also close our end of its stdout, losing acknowledgements already printed)
                        ProcessHandle.of(child.pid()).orElseThrow().destroyForcibly();
                        break;
                    }
                }
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
                // lines the child printed before dying were acknowledged too
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("I ")) ackedImpressions.add(line.substring(2));
                    else if (line.startsWith("F ")) ackedFeedback.add(line.substring(2));
                }
            }
            assertThat(ackedImpressions.size() + ackedFeedback.size()).isGreaterThanOrEqualTo(target);

            Set<String> impressions = new HashSet<>();
            Set<String> feedback = new HashSet<>();
            LogReader reader = LogReader.of(dir);
            reader.stream().forEach(e -> {
                if (e.isImpression()) impressions.add(e.impression().impressionId());
                else feedback.add("imp-" + (Long.parseLong(e.feedback().impressionId().substring(4)) + 1));
            });
            assertThat(impressions).containsAll(ackedImpressions);
            assertThat(feedback).containsAll(ackedFeedback);
            // only the record being written at the kill can be torn
            assertThat(reader.problems()).allMatch(p -> p.type() == LogProblem.Type.TORN);
        }
    }
}
