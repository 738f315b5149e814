package io.ranker.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command tree. Each subcommand is a small class in this package (or its stage's package). */
@Command(name = "ranker", mixinStandardHelpOptions = true, version = "ranker 0.1.0",
        description = {"Ranker: ranking service and its offline commands.",
                "With no command (or 'serve') it serves HTTP; every other command runs offline and exits."},
        subcommands = {
                CommandLine.HelpCommand.class,
                ServeCommand.class,
                IndexCommand.class,
                EvalCommand.class,
                TrainCommand.class,
                SimulateCommand.class,
                FeaturesCommand.class,
                PolicyCommand.class,
                StateCommand.class,
                LogsCommand.class,
                ReplayCommand.class,
                KeysCommand.class,
        })
public class RankerCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Runs a command line and returns its exit code; used by {@link Main} and by tests. */
    public static int execute(String... args) {
        return new CommandLine(new RankerCli()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    }
}
