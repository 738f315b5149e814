package io.ranker.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ranker.catalog.CatalogIndex;
import io.ranker.core.Item;
import io.ranker.catalog.ItemJson;
import io.ranker.catalog.VectorQuantization;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Bulk-loads a JSONL catalog file into the data directory's index, offline (stop the service first: the
 * index takes a write lock; while serving, use {@code PUT /v1/items} with NDJSON instead).
 */
@Command(name = "index", mixinStandardHelpOptions = true,
        description = "Bulk-load items (one JSON object per line) into the catalog index of a data directory.")
public class IndexCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--file", required = true, description = "JSONL file: {\"id\":..,\"title\":..,\"text\":..,\"attributes\":{..},\"vector\":[..]} per line")
    Path file;
    @Option(names = "--data-dir", defaultValue = "data", description = "data directory (default ${DEFAULT-VALUE})")
    Path dataDir;
    @Option(names = "--vector-dimension", defaultValue = "64", description = "must match ranking.catalog.vector-dimension (default ${DEFAULT-VALUE})")
    int dimension;
    @Option(names = "--similarity", defaultValue = "cosine", description = "must match ranking.catalog.vector-similarity (default ${DEFAULT-VALUE})")
    String similarity;
    @Option(names = "--vector-quantization", defaultValue = "none", description = "none or int8, as ranking.catalog.vector-quantization (default ${DEFAULT-VALUE})")
    String quantization;

    @Override
    public Integer call() throws Exception {
        Datasets.existingFile(spec, file, "--file");
        ObjectMapper json = new ObjectMapper();
        int accepted = 0, rejected = 0, line = 0;
        try (CatalogIndex index = new CatalogIndex(dataDir.resolve("index"), dimension, similarity,
                VectorQuantization.parse(quantization), 1000);
             BufferedReader in = Files.newBufferedReader(file)) {
            List<Item> batch = new ArrayList<>(1000);
            for (String s = in.readLine(); s != null; s = in.readLine()) {
                line++;
                if (s.isBlank()) continue;
                try {
                    batch.add(ItemJson.parse(json.readTree(s), dimension));
                } catch (ItemJson.InvalidItem e) {
                    rejected++;
                    System.err.printf("line %d%s: %s%n", line, e.pointer().isEmpty() ? "" : " " + e.pointer(), e.getMessage());
                } catch (JsonProcessingException e) {
                    rejected++;
                    System.err.printf("line %d: malformed JSON: %s%n", line, e.getOriginalMessage());
                }
                if (batch.size() == 1000) {
                    index.upsert(batch);
                    accepted += batch.size();
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                index.upsert(batch);
                accepted += batch.size();
            }
            System.out.printf("indexed %d items into %s (%d rejected); the catalog now holds %d items%n",
                    accepted, dataDir.resolve("index"), rejected, index.size());
        }
        return rejected == 0 ? 0 : 2;
    }
}
