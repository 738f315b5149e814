package io.ranker.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What a new user meets first: the command list, defaults shared with the service, and file errors that say why. */
class CommandLinePolishTest {
    @TempDir
    Path dir;
    final StringWriter out = new StringWriter(), err = new StringWriter();

    @AfterEach
    void clear() {
        System.clearProperty("RANKING_DATA_DIR");
    }

    int run(String... args) {
        return new CommandLine(new RankerCli()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
    }

    @Test
    void helpListsServe() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).containsPattern("(?m)^\\s+serve\\s+Serve the HTTP API");
        assertThat(run("serve", "--help")).isZero();
        assertThat(out.toString()).contains("QUARKUS_HTTP_PORT").contains("RANKING_DATA_DIR");
    }

    /**
     * Every command with a --data-dir reads the service's RANKING_DATA_DIR when the option is absent (picocli resolves a
     * system property before the environment, so the test sets one), except simulate, whose work directory must never be
     * a service's. Walks the whole command tree, so a command added later without the default fails here.
     */
    @Test
    void everyDataDirOptionDefaultsToRankingDataDir() {
        System.setProperty("RANKING_DATA_DIR", dir.toString());
        List<String> checked = new ArrayList<>();
        walk(new CommandLine(new RankerCli()), List.of(), checked);
        assertThat(checked).contains("index", "replay", "train", "logs dump", "logs stats", "logs verify");
    }

    /**
     * Every command with a --data-dir reads the service's RANKING_DATA_DIR when the option is absent (picocli resolves a
     * system property before the environment, so the test sets one), except simulate, whose work directory must never
     * be a service's. Walks the whole command tree, so a command added later without the default fails here.
     */
    private void walk(CommandLine cmd, List<String> path, List<String> checked) {
        String name = String.join(" ", path);
        if (cmd.getCommandSpec().findOption("--data-dir") != null && !name.equals("simulate")) {
            CommandLine fresh = new CommandLine(new RankerCli());
            CommandLine leaf = fresh;
            for (String p : path) leaf = leaf.getSubcommands().get(p);
            leaf.getCommandSpec().parser().collectErrors(true); // its required options are absent: defaults apply anyway
            CommandLine.ParseResult r = fresh.parseArgs(path.toArray(String[]::new));
            while (r.hasSubcommand()) r = r.subcommand();
            assertThat(String.valueOf(r.commandSpec().findOption("--data-dir").<Object>getValue())).as(name).isEqualTo(dir.toString());
            checked.add(name);
        }
        for (var sub : cmd.getSubcommands().entrySet()) {
            if (sub.getValue().getParent() != cmd) continue; // aliases
            List<String> next = new ArrayList<>(path);
            next.add(sub.getKey());
            walk(sub.getValue(), next, checked);
        }
    }

    @Test
    void trainWithoutRankingDataDirStillAsksForAMode() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("RANKING_DATA_DIR") == null);
        CommandsTest.Run r = CommandsTest.run("train");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("give --data-dir (training from logs) or --format svmlight");
    }

    @Test
    void fileErrorsSayWhy() throws Exception {
        Path missing = dir.resolve("absent.jsonl");
        Path folder = Files.createDirectory(dir.resolve("folder.yaml"));
        Path rows = Files.writeString(dir.resolve("rows.jsonl"), "{\"entity\":\"item\",\"id\":\"p1\",\"values\":{\"popularity\":1}}\n");
        Path noDir = dir.resolve("nope/features.yaml");
        StringBuilder e = new StringBuilder();
        for (String[] args : new String[][]{
                {"features", "load", "--file", missing.toString()},
                {"features", "load", "--file", folder.toString()},
                {"features", "load", "--file", rows.toString(), "--schema", noDir.toString()},
                {"policy", "validate", missing.toString()},
                {"policy", "validate", folder.toString()},
                {"index", "--file", folder.toString(), "--data-dir", dir.resolve("data").toString()},
                {"replay", "--surface", "feed", "--policy", missing.toString(), "--data-dir", dir.toString()},
                {"logs", "dump", "--data-dir", rows.toString()},
                {"state", "import", "--dir", dir.resolve("exported").toString(), "--data-dir", dir.toString()},
                {"train", "--format", "svmlight", "--out", dir.resolve("o").toString(), "--train", folder.toString(),
                        "--train-groups", rows.toString(), "--test", rows.toString(), "--test-groups", rows.toString()}}) {
            CommandsTest.Run r = CommandsTest.run(args);
            assertThat(r.code()).as(String.join(" ", args)).isEqualTo(2);
            e.append(r.err());
        }
        assertThat(e.toString()).contains("--file " + missing + ": no such file")
                .contains("--file " + folder + ": is a directory, not a file")
                .contains("--schema " + noDir + ": no such file (directory " + dir.resolve("nope") + " does not exist)")
                .contains(missing + ": cannot read: no such file")
                .contains(folder + ": cannot read: is a directory, not a file")
                .contains("--policy " + missing + ": no such file")
                .contains("no impression log at " + rows.resolve("logs").toAbsolutePath() + ": the directory does not exist")
                .contains("state import: --dir " + dir.resolve("exported") + ": no such directory")
                .contains("--train " + folder + ": is a directory, not a file");
    }

    @Test
    void unreadableFilesSaySo() throws Exception {
        Path f = Files.writeString(dir.resolve("locked.yaml"), "rules: []\n");
        assertThat(f.toFile().setReadable(false, false)).isTrue();
        // root reads anything: the reason can only be observed as an ordinary user
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.isReadable(f), "running as root");
        assertThat(run("policy", "validate", f.toString())).isEqualTo(2);
        assertThat(err.toString()).contains(f + ": cannot read: is not readable (permission denied)");
    }
}
