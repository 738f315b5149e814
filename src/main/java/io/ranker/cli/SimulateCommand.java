package io.ranker.cli;

import io.ranker.demo.DemoWorld;
import io.ranker.simulation.MovieLensWorld;
import io.ranker.simulation.SimulatedWorld;
import java.util.function.Supplier;
import io.ranker.simulation.SimulationRunner;
import io.ranker.training.LogTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code simulate}: the closed-loop simulator (real pipeline in process, known click model) and its two
 * experiments. Exit code 0 on success, 2 on bad input.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Closed-loop simulation through the real pipeline (catalog index, features, XGBoost, policy rules,"
                + " explorer, impression log) against a click model with known relevance and position bias, in the generated demo world or"
                + " one derived from the MovieLens ratings (--movielens DIR).",
                "--experiment ope: log an exploring policy A, estimate a different policy B from A's logs with"
                        + " IPS/SNIPS/DM/DR/switch-DR/RIPS and compare with B's true value across seeds (bias, RMSE, CI coverage).",
                "--experiment training: from the same kind of logs, train a model naively and one with inverse-propensity"
                        + " weighting; compare their true CTR (paired over seeds).",
                "Writes OUT/<experiment>.json, OUT/<experiment>.md and OUT/<experiment>.html (SVG charts)."})
public class SimulateCommand implements Callable<Integer> {
    public enum Experiment { ope, training }

    @Option(names = "--experiment", required = true, description = "${COMPLETION-CANDIDATES}")
    Experiment experiment;

    @Option(names = "--seeds", defaultValue = "20", description = "independent simulated logs (default ${DEFAULT-VALUE})")
    int seeds;

    @Option(names = "--first-seed", defaultValue = "1", description = "first seed (default ${DEFAULT-VALUE})")
    long firstSeed;

    @Option(names = "--impressions", defaultValue = "2000", description = "logged requests per seed (default ${DEFAULT-VALUE})")
    int impressions;

    @Option(names = "--position-bias", defaultValue = "1.0",
            description = "eta: examination of position k is 1/k^eta (default ${DEFAULT-VALUE})")
    double positionBias;

    @Option(names = "--out", required = true, description = "directory for the JSON and Markdown results")
    Path out;

    // Not $RANKING_DATA_DIR: a simulation builds its own index, models and logs, and must never write into a service's.
    @Option(names = "--data-dir", description = "work directory (index, models, logs; default OUT/work, never $RANKING_DATA_DIR:"
            + " a simulation builds its own catalog and logs)")
    Path dataDir;

    @Option(names = "--config-dir", defaultValue = CliDefaults.CONFIG_DIR,
            description = "for features.yaml (default: $RANKING_CONFIG_DIR, else 'ranking-config'; now ${DEFAULT-VALUE})")
    Path configDir;

    @Option(names = "--movielens", paramLabel = "DIR",
            description = "derive the world from the MovieLens ratings in DIR (ratings.csv, movies.csv, e.g."
                    + " ../shared/datasets/movielens-latest-small) instead of the generated demo: movies and users with"
                    + " >= 20 ratings, latent preferences from a matrix factorisation of the ratings")
    Path movieLens;

    @Option(names = "--items", defaultValue = "1000",
            description = "demo catalog size, or with --movielens the most-rated movies kept (default ${DEFAULT-VALUE})")
    int items;

    @Option(names = "--users", defaultValue = "300",
            description = "simulated users (with --movielens a seeded sample of the rating users; default ${DEFAULT-VALUE})")
    int users;

    @Option(names = "--limit", defaultValue = "5", description = "shown items per list (default ${DEFAULT-VALUE})")
    int limit;

    @Option(names = "--logging-epsilon", defaultValue = "0.3", description = "share of A's traffic explored (default ${DEFAULT-VALUE})")
    double loggingEpsilon;

    @Option(names = "--logging-temperature", defaultValue = "1.0", description = "A's Plackett-Luce temperature (default ${DEFAULT-VALUE})")
    double loggingTemperature;

    @Option(names = "--target-temperature", defaultValue = "0.5", description = "B's Plackett-Luce temperature (default ${DEFAULT-VALUE})")
    double targetTemperature;

    @Option(names = "--bootstrap", defaultValue = "500", description = "bootstrap replicates per interval (default ${DEFAULT-VALUE})")
    int bootstrap;

    @Option(names = "--rounds", defaultValue = "60", description = "boosting rounds, experiment training (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--objective", defaultValue = "reg:squarederror",
            description = "rank:ndcg | lambdarank_unbiased | reg:squarederror (default ${DEFAULT-VALUE})")
    String objective;

    @Override
    public Integer call() throws Exception {
        try {
            if (seeds < 1 || impressions < 50) throw new IllegalArgumentException("need --seeds >= 1 and --impressions >= 50");
            if (!(positionBias >= 0)) throw new IllegalArgumentException("--position-bias must be >= 0");
            String schemaProblem = InputFiles.fileProblem(configDir.resolve("features.yaml"));
            if (schemaProblem != null) {
                throw new IllegalArgumentException("--config-dir " + configDir.toAbsolutePath() + ": features.yaml " + schemaProblem);
            }
            String ratingsProblem = movieLens == null ? null : InputFiles.fileProblem(movieLens.resolve("ratings.csv"));
            if (ratingsProblem != null) {
                throw new IllegalArgumentException("--movielens " + movieLens.toAbsolutePath() + ": ratings.csv " + ratingsProblem
                        + " (the public datasets live in ../shared/datasets/ beside a checkout; see README)");
            }
            Path work = dataDir != null ? dataDir : out.resolve("work");
            if (Files.isDirectory(work.resolve("index"))) {
                throw new IllegalArgumentException("work directory " + work.toAbsolutePath()
                        + " already holds a simulation: remove it or pass another --data-dir");
            }
            SimulationRunner.Settings s = new SimulationRunner.Settings(seeds, impressions, positionBias, out, work,
                    configDir, items, users, limit, loggingEpsilon, loggingTemperature, targetTemperature, bootstrap,
                    rounds, LogTrainer.Objective.parse(objective), firstSeed, movieLens);
            Supplier<SimulatedWorld> worlds = () -> movieLens == null ? new DemoWorld(items, users)
                    : new MovieLensWorld(movieLens, items, users, DemoWorld.SEED);
            SimulationRunner runner = new SimulationRunner(s, worlds, System.out);
            if (experiment == Experiment.ope) runner.runOffPolicy();
            else runner.runTraining();
            return 0;
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
    }
}
