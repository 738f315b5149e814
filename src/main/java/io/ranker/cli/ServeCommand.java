package io.ranker.cli;

import io.quarkus.runtime.Quarkus;
import picocli.CommandLine.Command;

/**
 * {@code serve}: the HTTP service, also what the jar does with no arguments. Listed here so {@code --help} shows it;
 * {@link Main} starts it directly for a bare {@code serve}, before picocli, like the no-argument start.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve the HTTP API (the default when no command is given).",
                "Settings come from the environment and application.properties, not from options: QUARKUS_HTTP_PORT (8080),"
                        + " RANKING_DATA_DIR (data), RANKING_CONFIG_DIR (ranking-config), RANKING_FEATURES_STORE (memory | redis),"
                        + " QUARKUS_REDIS_HOSTS, RANKING_ADMIN_TOKEN, RANKING_LOG_JSON; see README, Configuration.",
                "On an empty data directory the first start seeds a demo catalog, features and model (with progress on stderr)."})
public class ServeCommand implements Runnable {
    @Override
    public void run() {
        Quarkus.run();
    }
}
