package io.ranker.cli;

import picocli.CommandLine;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * Says why an input path cannot be read, so a command's error names the cause (no such file, a directory where a file
 * was expected, no permission) instead of only the path. One wording for every command.
 */
final class InputFiles {
    private InputFiles() {
    }

    /** Why {@code p} is not a readable regular file, or null when it is one. */
    static String fileProblem(Path p) {
        if (p == null) return "no path given";
        if (!Files.exists(p)) return missing(p, "file");
        if (Files.isDirectory(p)) return "is a directory, not a file";
        if (!Files.isRegularFile(p)) return "is not a regular file";
        if (!Files.isReadable(p)) return "is not readable (permission denied)";
        return null;
    }

    /** Why {@code p} is not a readable directory, or null when it is one. */
    static String directoryProblem(Path p) {
        if (p == null) return "no path given";
        if (!Files.exists(p)) return missing(p, "directory");
        if (!Files.isDirectory(p)) return "is a file, not a directory";
        if (!Files.isReadable(p) || !Files.isExecutable(p)) return "is not readable (permission denied)";
        return null;
    }

    /** The cause of a failed read in the same words ({@code NoSuchFileException} carries only the path). */
    static String describe(IOException e) {
        if (e instanceof NoSuchFileException) return "no such file";
        if (e instanceof AccessDeniedException) return "is not readable (permission denied)";
        if (e instanceof CharacterCodingException) return "is not UTF-8 text";
        if (e instanceof NotDirectoryException) return "a parent of it is a file, not a directory";
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason().contains("Is a directory") ? "is a directory, not a file" : f.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** A readable regular file, or a usage error naming the option, the path and the reason. */
    static Path requireFile(CommandLine.Model.CommandSpec spec, Path p, String option) {
        String problem = fileProblem(p);
        if (problem != null) throw new CommandLine.ParameterException(spec.commandLine(), option + " " + p + ": " + problem);
        return p;
    }

    private static String missing(Path p, String kind) {
        Path parent = p.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            // the nearest missing ancestor helps when a relative path was meant for another working directory
            Path first = parent;
            while (first.getParent() != null && !Files.isDirectory(first.getParent())) first = first.getParent();
            return "no such " + kind + (Files.exists(first) ? " (" + first + " is a file, not a directory)"
                    : " (directory " + first + " does not exist)");
        }
        return "no such " + kind;
    }
}
