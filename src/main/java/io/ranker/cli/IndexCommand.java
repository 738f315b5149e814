package io.ranker.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ranker.catalog.CatalogIndex;
import io.ranker.catalog.CatalogUnavailableException;
import io.ranker.catalog.changelog.ChangelogWriter;
import io.ranker.catalog.changelog.RedisChangelog;
import io.ranker.core.Item;
import io.ranker.catalog.ItemJson;
import io.ranker.catalog.VectorQuantization;
import io.ranker.progress.CountingInputStream;
import io.ranker.progress.Progress;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Bulk-loads a JSONL catalog file. Without {@code --changelog}: into the data directory's index, offline (stop the
 * service first: the index takes a write lock; while serving, use {@code PUT /v1/items} with NDJSON instead).
 * With {@code --changelog}: into the shared catalog changelog in Redis ({@code ranking.state.store=redis}), which every
 * replica applies; the service keeps running.
 */
@Command(name = "index", mixinStandardHelpOptions = true, subcommands = IndexSnapshotCommand.class,
        description = {"Bulk-load items (one JSON object per line) into the catalog index of a data directory,",
                "or with --changelog into the shared catalog changelog in Redis that every replica applies."})
public class IndexCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--file", description = "JSONL file: {\"id\":..,\"title\":..,\"text\":..,\"attributes\":{..},\"vector\":[..]} per line")
    Path file;
    @Option(names = "--data-dir", defaultValue = CliDefaults.DATA_DIR, description = CliDefaults.DATA_DIR_HELP)
    Path dataDir;
    @Option(names = "--vector-dimension", defaultValue = "${RANKING_CATALOG_VECTOR_DIMENSION:-64}", description = "must match ranking.catalog.vector-dimension (default ${DEFAULT-VALUE})")
    int dimension;
    @Option(names = "--similarity", defaultValue = "${RANKING_CATALOG_VECTOR_SIMILARITY:-cosine}", description = "must match ranking.catalog.vector-similarity (default ${DEFAULT-VALUE})")
    String similarity;
    @Option(names = "--vector-quantization", defaultValue = "${RANKING_CATALOG_VECTOR_QUANTIZATION:-none}", description = "none or int8, as ranking.catalog.vector-quantization (default ${DEFAULT-VALUE})")
    String quantization;
    @Option(names = "--changelog", description = "append to the shared catalog changelog in Redis (--redis) instead of a local index")
    boolean changelog;
    @CommandLine.Mixin
    RedisTarget redis;

    /** Where validated batches go: a local index or the changelog. */
    private interface Sink extends AutoCloseable {
        void write(List<Item> batch) throws IOException;

        String summary();

        @Override
        void close() throws IOException;
    }

    @Override
    public Integer call() throws Exception {
        if (file == null) throw new CommandLine.ParameterException(spec.commandLine(), "Missing required option: '--file=<file>' (or a subcommand: snapshot)");
        InputFiles.requireFile(spec, file, "--file");
        if (changelog && !redis.configured()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--changelog needs --redis (or QUARKUS_REDIS_HOSTS)");
        }
        ObjectMapper json = new ObjectMapper();
        int accepted = 0, rejected = 0, line = 0;
        // progress against the file's size (bytes read), the rate in items written
        try (CountingInputStream counted = new CountingInputStream(Files.newInputStream(file));
             Sink sink = changelog ? changelogSink() : indexSink();
             BufferedReader in = new BufferedReader(new InputStreamReader(counted, StandardCharsets.UTF_8.newDecoder()));
             Progress progress = Progress.start("index", "items", Files.size(file))) {
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
                    sink.write(batch);
                    accepted += batch.size();
                    batch.clear();
                    progress.update(counted.count(), accepted);
                }
            }
            if (!batch.isEmpty()) {
                sink.write(batch);
                accepted += batch.size();
            }
            progress.update(counted.count(), accepted);
            progress.finish();
            System.out.printf("indexed %d items into %s (%d rejected)%n", accepted, sink.summary(), rejected);
        } catch (CatalogUnavailableException e) {
            System.err.printf("stopped: %s; the first %d valid items were appended (resending the file is safe: upserts are idempotent)%n",
                    e.getMessage(), accepted + e.appended());
            return 1;
        }
        return rejected == 0 ? 0 : 2;
    }

    private Sink indexSink() throws IOException {
        CatalogIndex index = new CatalogIndex(dataDir.resolve("index"), dimension, similarity, VectorQuantization.parse(quantization), 1000);
        return new Sink() {
            public void write(List<Item> batch) throws IOException { index.upsert(batch); }

            public String summary() { return dataDir.resolve("index") + "; the catalog now holds " + index.size() + " items"; }

            public void close() throws IOException { index.close(); }
        };
    }

    private Sink changelogSink() {
        RedisChangelog log = redis.open();
        try {
            RedisChangelog.Meta meta = log.meta(dimension, similarity);
            if (meta.dimension() != dimension || !meta.similarity().equalsIgnoreCase(similarity)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "the changelog holds " + meta.dimension() + "-d vectors with "
                        + meta.similarity() + " similarity; pass --vector-dimension " + meta.dimension() + " --similarity " + meta.similarity());
            }
        } catch (RuntimeException e) {
            log.close();
            throw e;
        }
        ChangelogWriter writer = new ChangelogWriter(log, null, "index-command");
        return new Sink() {
            public void write(List<Item> batch) { writer.upsert(batch); }

            public String summary() { return "the catalog changelog " + log.streamKey() + " (every replica applies it)"; }

            public void close() { log.close(); }
        };
    }
}
