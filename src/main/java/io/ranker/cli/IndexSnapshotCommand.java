package io.ranker.cli;

import io.ranker.catalog.changelog.CatalogSnapshots;
import io.ranker.catalog.changelog.DirectorySnapshotStore;
import io.ranker.catalog.changelog.OfflineSnapshot;
import io.ranker.catalog.changelog.RedisChangelog;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code index snapshot --to DIR}: a snapshot of the shared catalog built from the changelog, with no replica involved. */
@Command(name = "snapshot", mixinStandardHelpOptions = true,
        description = {"Write a snapshot of the shared catalog (a Lucene commit plus the changelog position it covers) to a snapshot",
                "directory: the newest snapshot there plus the changelog up to its head. Keeps the newest --keep snapshots and",
                "trims the changelog up to the oldest one kept. New replicas restore the newest snapshot (ranking.catalog.snapshot.dir)."})
public class IndexSnapshotCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--to", required = true, description = "the snapshot directory (the replicas' ranking.catalog.snapshot.dir)")
    Path to;
    @Option(names = "--keep", defaultValue = "3", description = "snapshots kept (default ${DEFAULT-VALUE})")
    int keep;
    @Option(names = "--no-trim", description = "do not trim the changelog")
    boolean noTrim;
    @Option(names = "--work-dir", description = "where the index is built (default: a temporary directory)")
    Path workDir;
    @Option(names = "--vector-dimension", defaultValue = "64", description = "used only when the changelog does not exist yet (default ${DEFAULT-VALUE})")
    int dimension;
    @Option(names = "--similarity", defaultValue = "cosine", description = "used only when the changelog does not exist yet (default ${DEFAULT-VALUE})")
    String similarity;
    @CommandLine.Mixin
    RedisTarget redis;

    @Override
    public Integer call() throws Exception {
        if (!redis.configured()) throw new CommandLine.ParameterException(spec.commandLine(), "snapshot needs --redis (or QUARKUS_REDIS_HOSTS)");
        if (keep < 1) throw new CommandLine.ParameterException(spec.commandLine(), "--keep must be at least 1");
        Path work = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("ranker-snapshot");
        try (RedisChangelog log = redis.open()) {
            OfflineSnapshot.Result r = OfflineSnapshot.run(log, new CatalogSnapshots(new DirectorySnapshotStore(to)), work, keep, !noTrim,
                    dimension, similarity);
            System.out.printf("snapshot %s: %d items at %s (%d entries consumed), %.1f MB in %s%n", r.snapshot().name(), r.snapshot().items(),
                    r.snapshot().position().lastId(), r.snapshot().position().consumed(), r.snapshot().bytes() / 1e6, to);
            System.out.printf("started from %s; read %d changelog entries (%d applied, %d skipped); trimmed %d entries%n",
                    r.restoredFrom() == null ? "the changelog's start" : "snapshot " + r.restoredFrom(), r.entriesRead(), r.applied(), r.skipped(), r.trimmed());
            return 0;
        } catch (IllegalStateException e) {
            System.err.println("snapshot failed: " + e.getMessage());
            return 1;
        } finally {
            if (workDir == null) DirectorySnapshotStore.deleteTree(work);
        }
    }
}
