package io.ranker.cli;

import io.ranker.testing.RedisServerHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code index --changelog} and {@code index snapshot} against a real redis-server. */
class IndexChangelogCommandTest {
    static RedisServerHarness redis;
    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        redis = RedisServerHarness.standalone();
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o));
        System.setErr(new PrintStream(e));
        try {
            return new Run(RankerCli.execute(args), o.toString(), e.toString());
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void loadsValidItemsIntoTheChangelogThenSnapshotsAndTrimsIt() throws Exception {
        Path file = dir.resolve("items.jsonl");
        Files.write(file, List.of(
                "{\"id\":\"a\",\"title\":\"alpha\",\"vector\":[1,0,0,0]}",
                "{\"id\":\"b\",\"title\":\"beta\",\"vector\":[1,2]}",
                "{\"id\":\"c\",\"title\":\"gamma\",\"attributes\":{\"price\":3}}",
                "not json"));
        String prefix = "cli" + System.nanoTime();
        Run load = run("index", "--changelog", "--file", file.toString(), "--redis", redis.hosts(), "--key-prefix", prefix,
                "--vector-dimension", "4");
        assertThat(load.exit()).as(load.err()).isEqualTo(2); // two rejected lines
        assertThat(load.out()).contains("indexed 2 items into the catalog changelog " + prefix + ":{catalog}:changelog");
        assertThat(load.err()).contains("line 2 /vector").contains("line 4: malformed JSON");
        assertThat(redis.cli("XLEN", prefix + ":{catalog}:changelog").trim()).as("rejected items never enter the log").isEqualTo("2");

        Run wrongDimension = run("index", "--changelog", "--file", file.toString(), "--redis", redis.hosts(), "--key-prefix", prefix);
        assertThat(wrongDimension.exit()).isNotZero();
        assertThat(wrongDimension.err()).contains("--vector-dimension 4");

        Path snapshots = dir.resolve("snapshots");
        Run snap = run("index", "snapshot", "--to", snapshots.toString(), "--redis", redis.hosts(), "--key-prefix", prefix, "--keep", "1");
        assertThat(snap.exit()).as(snap.err()).isZero();
        assertThat(snap.out()).contains("2 items at").contains("started from the changelog's start; read 2 changelog entries (2 applied, 0 skipped)");
        Files.write(file, List.of("{\"id\":\"d\",\"title\":\"delta\"}"));
        assertThat(run("index", "--changelog", "--file", file.toString(), "--redis", redis.hosts(), "--key-prefix", prefix,
                "--vector-dimension", "4").exit()).isZero();
        Run again = run("index", "snapshot", "--to", snapshots.toString(), "--redis", redis.hosts(), "--key-prefix", prefix, "--keep", "1");
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.out()).contains("3 items at").contains("started from snapshot snapshot-").contains("read 1 changelog entries")
                .contains("trimmed 1 entries"); // MINID keeps the entry the oldest snapshot kept stops at
        try (Stream<Path> kept = Files.list(snapshots)) {
            assertThat(kept.filter(p -> p.getFileName().toString().startsWith("snapshot-")).count()).isEqualTo(1);
        }
        assertThat(redis.cli("XLEN", prefix + ":{catalog}:changelog").trim()).as("only the entry the snapshot stops at, on").isEqualTo("1");
    }

    @Test
    void withoutRedisTheChangelogOptionsSayWhatIsMissing() {
        Run r = run("index", "snapshot", "--to", dir.toString(), "--redis", "");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("needs --redis");
    }
}
