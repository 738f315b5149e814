package io.ranker.cli;

/**
 * Defaults the commands share with the service, so a command run beside a service (same environment) reads and writes
 * the same directories: picocli resolves {@code ${NAME:-fallback}} from a system property, else the environment.
 */
final class CliDefaults {
    /** The service's {@code ranking.data-dir}: {@code RANKING_DATA_DIR}, else {@code data}. */
    static final String DATA_DIR = "${RANKING_DATA_DIR:-data}";
    static final String DATA_DIR_HELP = "data directory (default: $RANKING_DATA_DIR, else 'data'; now ${DEFAULT-VALUE})";
    /** The service's {@code ranking.config-dir}: {@code RANKING_CONFIG_DIR}, else {@code ranking-config}. */
    static final String CONFIG_DIR = "${RANKING_CONFIG_DIR:-ranking-config}";

    private CliDefaults() {
    }
}
