package io.ranker.testing;

import io.quarkus.bootstrap.resolver.maven.BootstrapMavenException;
import io.quarkus.bootstrap.resolver.maven.MavenArtifactResolver;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.util.artifact.JavaScopes;
import org.eclipse.aether.util.filter.DependencyFilterUtils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The runtime classpath of some Maven artifacts (with their transitive dependencies, as their own poms declare
 * them), resolved through the local repository and Maven Central with the resolver Quarkus' test bootstrap already
 * brings. For programs a test starts in a child JVM whose dependencies must not meet the service's on the test
 * classpath (the Kafka broker's Scala, Jackson and log4j versions differ from the Quarkus BOM's). Honors
 * {@code ~/.m2/settings.xml} and {@code mvn -o}. The result is cached in a file, so later runs skip the resolver.
 */
final class MavenClasspath {
    private MavenClasspath() {
    }

    /**
     * @param coordinates {@code groupId:artifactId:version} of each root, nearest first (the first declaration of an
     *                    artifact wins a version conflict, as in a pom)
     * @param cache       file holding the resolved list from an earlier run
     */
    static List<Path> resolve(List<String> coordinates, Path cache) {
        List<Path> cached = readCache(coordinates, cache);
        if (cached != null) return cached;
        try {
            MavenArtifactResolver mvn = MavenArtifactResolver.builder().setWorkspaceDiscovery(false).build();
            CollectRequest collect = new CollectRequest();
            for (String c : coordinates) collect.addDependency(new Dependency(new DefaultArtifact(c), JavaScopes.RUNTIME));
            collect.setRepositories(mvn.getRepositories());
            DependencyRequest request = new DependencyRequest(collect, DependencyFilterUtils.classpathFilter(JavaScopes.RUNTIME));
            List<Path> jars = mvn.getSystem().resolveDependencies(mvn.getSession(), request).getArtifactResults().stream()
                    .map(ArtifactResult::getArtifact).map(a -> a.getFile().toPath()).toList();
            writeCache(coordinates, jars, cache);
            return jars;
        } catch (BootstrapMavenException | DependencyResolutionException e) {
            throw new IllegalStateException("cannot resolve " + coordinates + " from the local repository or Maven Central: " + e.getMessage(), e);
        }
    }

    private static List<Path> readCache(List<String> coordinates, Path cache) {
        try {
            if (!Files.isRegularFile(cache)) return null;
            List<String> lines = Files.readAllLines(cache);
            if (lines.isEmpty() || !lines.get(0).equals(String.join(",", coordinates))) return null;
            List<Path> jars = lines.subList(1, lines.size()).stream().map(Path::of).toList();
            return jars.stream().allMatch(Files::isRegularFile) ? jars : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static void writeCache(List<String> coordinates, List<Path> jars, Path cache) {
        try {
            Files.createDirectories(cache.getParent());
            StringBuilder b = new StringBuilder(String.join(",", coordinates)).append('\n');
            for (Path j : jars) b.append(j).append('\n');
            Files.writeString(cache, b);
        } catch (IOException ignored) {
            // resolved again next time
        }
    }
}
