package io.ranker.catalog;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lucene's SIMD vector path is really the one in use when the JVM gets {@code --add-modules jdk.incubator.vector}
 * (as the build's test JVM, quarkus:dev, the scripts and the container do), and a JVM without it still works
 * and says how to turn it on.
 */
class LuceneVectorizationTest {
    @Test
    void theBuildsTestJvmRunsLuceneOnTheVectorApi() {
        LuceneVectorization v = LuceneVectorization.current();
        assertThat(v.provider())
                .as("surefire's argLine gives %s; without it Lucene is scalar", LuceneVectorization.ENABLE_FLAG)
                .isEqualTo("PanamaVectorizationProvider");
        assertThat(v.panama()).isTrue();
        assertThat(v.describe()).contains("Java Vector API");
    }

    @Test
    void aJvmStartedWithTheFlagUsesPanama() throws Exception {
        List<String> out = probe(List.of("--add-modules", "jdk.incubator.vector"));
        assertThat(out.get(0)).isEqualTo("PanamaVectorizationProvider");
        assertThat(out.get(1)).startsWith("Lucene vector search uses the Java Vector API");
    }

    @Test
    void aPlainJvmRunsScalarAndSaysHowToEnableSimd() throws Exception {
        List<String> out = probe(List.of());
        assertThat(out.get(0)).isEqualTo("DefaultVectorizationProvider");
        assertThat(out.get(1)).contains("scalar path").contains("--add-modules jdk.incubator.vector");
    }

    @Test
    void aJvmWithoutC2RunsScalarAndDoesNotBlameTheFlag() throws Exception {
        // quarkus:dev starts its JVM like this unless told otherwise (the pom sets forceC2)
        List<String> out = probe(List.of("--add-modules", "jdk.incubator.vector", "-XX:TieredStopAtLevel=1"));
        assertThat(out.get(0)).isEqualTo("DefaultVectorizationProvider");
        assertThat(out.get(1)).contains("scalar path").contains("jdk.incubator.vector is loaded").contains("C2");
    }

    /** Runs {@link LuceneVectorizationProbe} in a fresh JVM of the same JDK with the test classpath. */
    private static List<String> probe(List<String> jvmArgs) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), LuceneVectorizationProbe.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().remove("JDK_JAVA_OPTIONS"); // the flag must come from jvmArgs alone
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        Process p = pb.start();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(stdout).isZero();
        return stdout.lines().toList();
    }
}
