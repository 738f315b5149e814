package io.ranker.cli;

import io.ranker.catalog.CatalogAttributes;
import io.ranker.policy.ValidationLimits;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What the commands validate rule sets against, read from the same places the service reads them: the catalog
 * index in the data directory (its attribute names) and the pipeline files in the configuration directory (the
 * surfaces). The same checks as publishing and the dry run, so a rule set the service would refuse is refused here.
 */
final class CliValidation {
    private CliValidation() {
    }

    /**
     * @param attributes names given on the command line (replace the catalog's), or null
     * @param dataDir    data directory whose {@code index/} holds the catalog, or null
     * @param configDir  configuration directory whose {@code pipelines/*.yaml} name the surfaces, or null
     */
    static ValidationLimits limits(List<String> attributes, Path dataDir, Path configDir, int maxListSize) {
        Set<String> names = attributes != null ? Set.copyOf(attributes) : catalogAttributes(dataDir);
        return new ValidationLimits(names, maxListSize, surfaces(configDir));
    }

    static Set<String> catalogAttributes(Path dataDir) {
        if (dataDir == null) return Set.of();
        try {
            return CatalogAttributes.read(dataDir.resolve("index")).orElse(Set.of());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read the catalog index in " + dataDir.resolve("index") + ": " + e.getMessage(), e);
        }
    }

    /** Surface names of {@code <configDir>/pipelines/<surface>.yaml}; empty (no check) without that directory. */
    static Set<String> surfaces(Path configDir) {
        if (configDir == null) return Set.of();
        Path dir = configDir.resolve("pipelines");
        if (!Files.isDirectory(dir)) return Set.of();
        Set<String> out = new TreeSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml") || n.endsWith(".yml"))
                    .forEach(n -> out.add(n.substring(0, n.lastIndexOf('.'))));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }
}
