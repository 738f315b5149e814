package io.ranker.cli;

import picocli.CommandLine;

import java.nio.file.Path;

/** Clear messages for dataset paths given on the command line: the reason, and where the public datasets live. */
final class Datasets {
    private static final String WHERE = " (the public datasets live in ../shared/datasets/ beside a checkout; see README)";

    private Datasets() {
    }

    static Path existingFile(CommandLine.Model.CommandSpec spec, Path p, String what) {
        String problem = InputFiles.fileProblem(p);
        if (problem != null) throw new CommandLine.ParameterException(spec.commandLine(), what + " " + p + ": " + problem + WHERE);
        return p;
    }

    static Path existingDir(CommandLine.Model.CommandSpec spec, Path p, String what) {
        String problem = InputFiles.directoryProblem(p);
        if (problem != null) throw new CommandLine.ParameterException(spec.commandLine(), what + " " + p + ": " + problem + WHERE);
        return p;
    }
}
