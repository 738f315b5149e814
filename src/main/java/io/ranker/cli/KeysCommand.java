package io.ranker.cli;

import io.ranker.auth.ApiKey;
import io.ranker.auth.KeyFile;
import io.ranker.auth.KeyRing;
import io.ranker.auth.Scope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code keys new} and {@code keys hash}: API keys for {@code ranking.auth.keys-file} / {@code RANKING_AUTH_KEYS}. The
 * service holds only digests, so the key itself is shown once, here, and kept by whoever calls with it.
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "Make API keys and the lines of the key list (ranking.auth.keys-file) that admit them.",
        subcommands = {KeysCommand.New.class, KeysCommand.Hash.class})
public class KeysCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static class Entry {
        @Option(names = "--name", required = true, description = "The key's name: the actor recorded in audit trails.")
        String name;

        @Option(names = "--scope", required = true, split = ",", paramLabel = "SCOPE",
                description = "rank, ingest and/or admin (admin may do everything).")
        List<String> scopes;

        /** The key list line for {@code key}, checked by the same parser the service uses. */
        String line(String key) {
            String digest = "sha256:" + HexFormat.of().formatHex(KeyRing.digest(ApiKey.Digest.SHA256, key));
            String line = name + " " + String.join(",", scopes) + " " + digest;
            KeyFile.parse(line, "--name/--scope", false); // the same mistakes the service would refuse
            return line;
        }
    }

    @Command(name = "new", mixinStandardHelpOptions = true,
            description = "Make a random key (256 bits): prints the key once, then its key-list line.")
    static class New implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @picocli.CommandLine.Mixin
        Entry entry = new Entry();

        @Override
        public Integer call() {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String key = "rk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            PrintWriter out = spec.commandLine().getOut();
            try {
                String line = entry.line(key);
                out.println("key (give it to the caller; it is not stored anywhere): " + key);
                out.println("key list line (ranking.auth.keys-file or RANKING_AUTH_KEYS):");
                out.println(line);
                return 0;
            } catch (KeyFile.InvalidKeys e) {
                spec.commandLine().getErr().println(e.getMessage() + "; scopes are " + scopes());
                return 2;
            }
        }
    }

    @Command(name = "hash", mixinStandardHelpOptions = true,
            description = "Read an existing key from standard input (one line) and print its key-list line.")
    static class Hash implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @picocli.CommandLine.Mixin
        Entry entry = new Entry();

        @Override
        public Integer call() throws IOException {
            String key = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (key == null || key.strip().isEmpty()) {
                spec.commandLine().getErr().println("no key on standard input");
                return 2;
            }
            try {
                spec.commandLine().getOut().println(entry.line(key.strip()));
                return 0;
            } catch (KeyFile.InvalidKeys e) {
                spec.commandLine().getErr().println(e.getMessage() + "; scopes are " + scopes());
                return 2;
            }
        }
    }

    static String scopes() {
        return java.util.Arrays.stream(Scope.values()).map(Scope::label).collect(Collectors.joining(", "));
    }
}
