package io.ranker.cli;

import io.ranker.policy.PolicyDiff;
import io.ranker.policy.PolicyError;
import io.ranker.policy.PolicyParser;
import io.ranker.policy.SeenItems;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code policy validate FILE} and {@code policy diff A B}: rule files checked offline, no service needed. */
@Command(name = "policy", mixinStandardHelpOptions = true,
        description = "Check and compare business-policy rule files (ranking-config/policies/<surface>.yaml).",
        subcommands = {PolicyCommand.Validate.class, PolicyCommand.Diff.class})
public class PolicyCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Options shared by both commands: what semantic validation checks against. */
    static class Limits {
        @Option(names = "--max-list-size", defaultValue = "100",
                description = "Largest list a request may ask for; pins and slots beyond it are errors (default ${DEFAULT-VALUE}).")
        int maxListSize;

        @Option(names = "--attributes", split = ",", paramLabel = "NAME",
                description = "Known item attribute names (comma-separated); rules using others are errors."
                        + " Default: the catalog's, from DATA-DIR/index when there is one.")
        List<String> attributes;

        /** Attribute names from --attributes only (no check without them). */
        PolicyParser parser() {
            return new PolicyParser(CliValidation.limits(attributes, null, null, maxListSize), SeenItems.NONE);
        }

        /** The checks of publishing: the catalog's attribute names (unless --attributes) and the surfaces with a pipeline. */
        PolicyParser parser(Dirs dirs) {
            return new PolicyParser(CliValidation.limits(attributes, dirs.dataDir, dirs.configDir, maxListSize), SeenItems.NONE);
        }
    }

    /** Where the service's catalog and pipelines are, for {@code validate} and {@code diff}. */
    static class Dirs {
        @Option(names = "--data-dir", defaultValue = "${RANKING_DATA_DIR:-data}",
                description = "Data directory whose catalog index gives the attribute names (default: $RANKING_DATA_DIR or 'data')")
        Path dataDir;

        @Option(names = "--config-dir", defaultValue = "${RANKING_CONFIG_DIR:-ranking-config}",
                description = "Configuration directory whose pipelines/ name the surfaces a rule file may declare"
                        + " (default: $RANKING_CONFIG_DIR or 'ranking-config')")
        Path configDir;
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = {"Validate a rule file with the checks of publishing: structure, the catalog's attribute names"
                    + " (DATA-DIR/index or --attributes), the surface it declares (CONFIG-DIR/pipelines).",
                    "Exit 0 when valid, 2 with one line per error (FILE:LINE:COLUMN) or when unreadable."})
    static class Validate implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "The rule file (YAML).")
        Path file;

        @picocli.CommandLine.Mixin
        Limits limits = new Limits();

        @picocli.CommandLine.Mixin
        Dirs dirs = new Dirs();

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
            String text = read(file, err);
            if (text == null) return 2;
            PolicyParser.Result r = limits.parser(dirs).parse(text);
            if (!r.valid()) {
                for (PolicyError e : r.errors()) err.println(file + ":" + e);
                err.println(r.errors().size() + " error(s); " + file + " is invalid");
                return 2;
            }
            out.println(file + ": valid, version " + r.policy().version() + ", " + r.policy().rules().size() + " rule(s)");
            return 0;
        }
    }

    @Command(name = "diff", mixinStandardHelpOptions = true,
            description = "Show rule-by-rule differences between two rule files. Exit 0 when equal, 1 when they differ, 2 when either is invalid.")
    static class Diff implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "A")
        Path a;

        @Parameters(index = "1", paramLabel = "B")
        Path b;

        @picocli.CommandLine.Mixin
        Limits limits = new Limits();

        @picocli.CommandLine.Mixin
        Dirs dirs = new Dirs();

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
            PolicyParser parser = limits.parser(dirs);
            PolicyParser.ParsedPolicy pa = parse(parser, a, err), pb = parse(parser, b, err);
            if (pa == null || pb == null) return 2;
            List<String> lines = PolicyDiff.diff(pa, pb);
            if (lines.isEmpty()) {
                out.println("same rule set (version " + pa.version() + ")");
                return 0;
            }
            out.println("version " + pa.version() + " -> " + pb.version());
            lines.forEach(out::println);
            return 1;
        }

        private static PolicyParser.ParsedPolicy parse(PolicyParser parser, Path file, PrintWriter err) {
            String text = read(file, err);
            if (text == null) return null;
            PolicyParser.Result r = parser.parse(text);
            if (!r.valid()) {
                for (PolicyError e : r.errors()) err.println(file + ":" + e);
                return null;
            }
            return r.policy();
        }
    }

    static String read(Path file, PrintWriter err) {
        String problem = InputFiles.fileProblem(file);
        if (problem != null) {
            err.println(file + ": cannot read: " + problem);
            return null;
        }
        try {
            if (Files.size(file) > PolicyParser.MAX_BYTES) {
                err.println(file + ": larger than " + PolicyParser.MAX_BYTES + " bytes");
                return null;
            }
            return Files.readString(file);
        } catch (IOException e) {
            err.println(file + ": cannot read: " + InputFiles.describe(e));
            return null;
        } catch (RuntimeException e) { // e.g. a path the file system cannot represent
            err.println(file + ": cannot read: " + e.getMessage());
            return null;
        }
    }
}
