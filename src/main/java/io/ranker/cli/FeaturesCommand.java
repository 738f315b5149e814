package io.ranker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ranker.features.FeatureIngest;
import io.ranker.features.FeatureKeys;
import io.ranker.features.FeatureRow;
import io.ranker.features.FeatureSchema;
import io.ranker.features.FeatureStore;
import io.ranker.features.InMemoryFeatureStore;
import io.ranker.features.RedisFeatureStore;
import io.ranker.progress.CountingInputStream;
import io.ranker.progress.Progress;
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
import java.util.concurrent.TimeUnit;

/** {@code features load}: bulk-loads item and user features from JSONL into Redis. */
@Command(name = "features", mixinStandardHelpOptions = true, description = "Feature store commands.",
        subcommands = FeaturesCommand.Load.class)
public class FeaturesCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "load", mixinStandardHelpOptions = true,
            description = {"Validates feature rows against the schema and writes them to Redis.",
                    "Each line: {\"entity\":\"item\"|\"user\",\"id\":\"...\",\"values\":{\"name\":number,...}}.",
                    "Rows with mistakes are reported by line and skipped; the others are written.",
                    "Without --redis (or QUARKUS_REDIS_HOSTS) it only validates.",
                    "Exit code: 0 all rows written, 1 some rejected, 2 nothing could be done."})
    static class Load implements Callable<Integer> {
        @Option(names = "--file", required = true, description = "JSONL file of feature rows")
        Path file;

        @Option(names = "--redis", description = "host:port or redis:// URIs, comma-separated (default: $QUARKUS_REDIS_HOSTS)")
        String redis;

        @Option(names = "--cluster", description = "the hosts are a Redis Cluster")
        boolean cluster;

        @Option(names = "--schema", defaultValue = "${RANKING_CONFIG_DIR:-ranking-config}/features.yaml",
                description = "feature schema (default: ${DEFAULT-VALUE}, under $RANKING_CONFIG_DIR when set)")
        Path schemaFile;

        @Option(names = "--buckets", defaultValue = "64", description = "key buckets; must equal the server's ranking.features.redis.buckets (default: ${DEFAULT-VALUE})")
        int buckets;

        @Option(names = "--vector-dimension", defaultValue = "${env:RANKING_CATALOG_VECTOR_DIMENSION:-64}",
                description = "the catalog's vector dimension; vector features of another length are rejected (0: any; default: ${DEFAULT-VALUE})")
        int vectorDimension;

        @Option(names = "--batch", defaultValue = "1000", description = "rows per write (default: ${DEFAULT-VALUE})")
        int batch;

        @Override
        public Integer call() throws Exception {
            String fileProblem = InputFiles.fileProblem(file);
            if (fileProblem != null) {
                System.err.println("cannot read --file " + file + ": " + fileProblem);
                return 2;
            }
            FeatureSchema schema;
            try {
                String schemaProblem = InputFiles.fileProblem(schemaFile);
                if (schemaProblem != null) {
                    System.err.println("cannot read the feature schema --schema " + schemaFile + ": " + schemaProblem);
                    return 2;
                }
                schema = FeatureSchema.load(schemaFile);
            } catch (IOException e) {
                System.err.println("cannot read the feature schema --schema " + schemaFile + ": " + InputFiles.describe(e));
                return 2;
            } catch (IllegalArgumentException e) {
                System.err.println("invalid feature schema: " + e.getMessage());
                return 2;
            }
            String hosts = redis != null ? redis : System.getenv("QUARKUS_REDIS_HOSTS");
            FeatureKeys keys = new FeatureKeys(buckets);
            boolean dryRun = hosts == null || hosts.isBlank();
            ObjectMapper json = new ObjectMapper();
            int accepted = 0, rejected = 0, lineNo = 0;
            try (CountingInputStream counted = new CountingInputStream(Files.newInputStream(file));
                 FeatureStore store = dryRun ? new InMemoryFeatureStore(keys)
                    : RedisFeatureStore.standalone(RedisFeatureStore.parseHosts(hosts), cluster, keys);
                 BufferedReader in = new BufferedReader(new InputStreamReader(counted, StandardCharsets.UTF_8.newDecoder()));
                 Progress progress = Progress.start("features load", "rows", Files.size(file))) {
                FeatureIngest ingest = new FeatureIngest(schema, store, System::currentTimeMillis, written -> { }, vectorDimension);
                List<FeatureRow> rows = new ArrayList<>(batch);
                List<Integer> lines = new ArrayList<>(batch);
                String line;
                while (true) {
                    line = in.readLine();
                    if (line != null) {
                        lineNo++;
                        if (line.isBlank()) continue;
                        FeatureRow row;
                        try {
                            JsonNode node = json.readTree(line);
                            row = FeatureRow.fromJson(node);
                        } catch (Exception e) {
                            row = null;
                        }
                        if (row == null) {
                            rejected++;
                            report(lineNo, "not a JSON object row", rejected);
                            continue;
                        }
                        rows.add(row);
                        lines.add(lineNo);
                    }
                    if (rows.size() >= batch || (line == null && !rows.isEmpty())) {
                        FeatureIngest.Result r = ingest.write(rows).get(60, TimeUnit.SECONDS);
                        accepted += r.accepted();
                        int lastRow = -1;
                        for (FeatureIngest.Rejection x : r.rejected()) {
                            if (x.row() != lastRow) rejected++;
                            lastRow = x.row();
                            report(lines.get(x.row()), x.pointer().substring(x.pointer().indexOf('/', 1) < 0 ? x.pointer().length()
                                    : x.pointer().indexOf('/', 1)) + ": " + x.message(), rejected);
                        }
                        rows.clear();
                        lines.clear();
                        progress.update(counted.count(), accepted + rejected);
                    }
                    if (line == null) break;
                }
                progress.finish();
            } catch (Exception e) {
                System.err.println("writing features failed after " + accepted + " rows: " + e);
                return 2;
            }
            System.out.printf("%s %d rows, rejected %d (schema %s)%n", dryRun ? "validated (dry run: no --redis)" : "wrote",
                    accepted, rejected, schema.version());
            return rejected == 0 ? 0 : 1;
        }

        private static void report(int line, String message, int rejectedSoFar) {
            if (rejectedSoFar <= 50) System.err.println("line " + line + ": " + message);
            else if (rejectedSoFar == 51) System.err.println("(more rejected rows not shown)");
        }
    }
}
