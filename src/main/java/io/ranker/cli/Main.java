package io.ranker.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Entry point of {@code quarkus-run.jar}. No arguments (or {@code serve}) starts the HTTP service; anything
 * else is a command ({@code index}, {@code eval}, {@code replay}, ...) that runs without starting the
 * service, so a command never competes with a running server for its port.
 */
@QuarkusMain
public class Main {
    public static void main(String... args) {
        if (args.length == 0 || (args.length == 1 && args[0].equals("serve"))) {
            Quarkus.run();
            return;
        }
        System.exit(RankerCli.execute(args));
    }
}
