package io.ranker.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Parent of the evaluation commands ({@code eval obd}, later {@code eval ann}, {@code eval bm25}). */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate rankers and policies on external datasets.",
        subcommands = {EvalObdCommand.class})
public class EvalCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
