package io.ranker.cli;

import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;

/** Clear messages for dataset paths given on the command line. */
final class Datasets {
    private Datasets() {
    }

    static Path existingFile(CommandLine.Model.CommandSpec spec, Path p, String what) {
        if (p == null || !Files.isRegularFile(p)) {
            throw new CommandLine.ParameterException(spec.commandLine(), what + " not found: " + p
                    + " (the public datasets live in ../shared/datasets/ beside a checkout; see README)");
        }
        return p;
    }

    static Path existingDir(CommandLine.Model.CommandSpec spec, Path p, String what) {
        if (p == null || !Files.isDirectory(p)) {
            throw new CommandLine.ParameterException(spec.commandLine(), what + " not found: " + p
                    + " (the public datasets live in ../shared/datasets/ beside a checkout; see README)");
        }
        return p;
    }
}
