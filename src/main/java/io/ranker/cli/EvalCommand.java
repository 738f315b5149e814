package io.ranker.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Evaluation on public datasets; each subcommand takes the dataset paths as options. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate retrieval, ranking and policies on public datasets.",
        subcommands = {EvalAnnCommand.class, EvalBm25Command.class, EvalObdCommand.class})
public class EvalCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
