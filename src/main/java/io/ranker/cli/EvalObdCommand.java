package io.ranker.cli;

import io.ranker.core.DomainException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ranker.replay.obd.BetaPriors;
import io.ranker.replay.obd.ObdEvaluation;
import io.ranker.replay.obd.ObdLogReader;
import io.ranker.replay.obd.ObdRow;
import io.ranker.replay.ope.Estimate;
import io.ranker.replay.ope.OpeSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code eval obd}: off-policy estimates (IPS, SNIPS, DR, switch-DR) of the Bernoulli Thompson Sampling policy
 * defined by a campaign's Beta priors, from Open Bandit Dataset logs. Exit code 0 on success, 2 on bad input.
 */
@Command(name = "obd", mixinStandardHelpOptions = true,
        description = "Estimate the value (CTR) of the Bernoulli TS policy defined by a campaign's Beta priors"
                + " from Open Bandit Dataset logs (IPS, SNIPS, DR, switch-DR with 95%% bootstrap intervals).")
public class EvalObdCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--logged", required = true, description = "logged data CSV, e.g. random/men.csv")
    Path logged;

    @Option(names = "--item-context", required = true, description = "item_context.csv (defines the item ids)")
    Path itemContext;

    @Option(names = "--prior", required = true, description = "prior_bts.yaml with campaign: {alpha, beta}")
    Path prior;

    @Option(names = "--campaign", required = true, description = "campaign in the prior file: all, men, women")
    String campaign;

    @Option(names = "--out", required = true, description = "output JSON file")
    Path out;

    @Option(names = "--draws", defaultValue = "100000", description = "Monte Carlo draws of the policy (default ${DEFAULT-VALUE})")
    int draws;

    @Option(names = "--seed", defaultValue = "12345", description = "seed of the policy draws, folds and bootstrap")
    long seed;

    @Option(names = "--folds", defaultValue = "5", description = "cross-fitting folds of the DR reward model")
    int folds;

    @Option(names = "--bootstrap", defaultValue = "2000", description = "bootstrap replicates")
    int bootstrap;

    @Option(names = "--clip", description = "clip importance weights at this value (default: no clipping)")
    Double clip;

    @Option(names = "--switch-tau", defaultValue = "20", description = "switch-DR weight threshold")
    double switchTau;

    @Option(names = "--expect-range", paramLabel = "LO:HI",
            description = "for CI: exit with code 3 unless the IPS, SNIPS and DR values all lie in [LO, HI]")
    String expectRange;

    @Option(names = "--expect-ci-contains", paramLabel = "V",
            description = "for CI: exit with code 3 unless the 95%% intervals of IPS, SNIPS and DR all contain V")
    Double expectCiContains;

    @Override
    public Integer call() throws Exception {
        try {
            if (draws < 100_000) {
                throw new IllegalArgumentException("--draws must be >= 100000 (Monte Carlo error of the policy)");
            }
            Datasets.existingFile(spec, logged, "--logged");
            Datasets.existingFile(spec, itemContext, "--item-context");
            Datasets.existingFile(spec, prior, "--prior");
            int items = ObdLogReader.itemCount(itemContext);
            BetaPriors priors = BetaPriors.read(prior, campaign);
            if (priors.items() != items) {
                throw new IllegalArgumentException("campaign " + campaign + " has " + priors.items()
                        + " priors but " + itemContext + " has " + items + " items");
            }
            List<ObdRow> rows = ObdLogReader.read(logged, items);
            OpeSettings ope = new OpeSettings(bootstrap, seed, clip == null ? Double.POSITIVE_INFINITY : clip,
                    switchTau, 0.95);
            ObdEvaluation.Result result = ObdEvaluation.evaluate(rows, priors,
                    new ObdEvaluation.Settings(draws, seed, folds, ope));
            Map<String, Object> json = ObdEvaluation.toJson(result);
            if (out.toAbsolutePath().getParent() != null) {
                Files.createDirectories(out.toAbsolutePath().getParent());
            }
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), json);
            System.out.printf(Locale.ROOT, "rows %d, clicks %d, logged CTR %.5f, ESS %.1f, support coverage %.3f%n",
                    result.rows(), result.clicks(), result.report().loggedValue(), result.report().ess(),
                    result.report().supportCoverage());
            for (Map.Entry<String, Estimate> e : result.report().estimates().entrySet()) {
                System.out.printf(Locale.ROOT, "%-10s %.5f  [%.5f, %.5f]%n", e.getKey(), e.getValue().value(),
                        e.getValue().lo(), e.getValue().hi());
            }
            result.report().warnings().forEach(w -> System.out.println("warning: " + w));
            System.out.println("wrote " + out);
            int failures = expectRange == null ? 0 : checkRange(result);
            if (expectCiContains != null) {
                for (String name : List.of("ips", "snips", "dr")) {
                    Estimate e = result.report().estimates().get(name);
                    if (!e.covers(expectCiContains)) {
                        System.err.printf(Locale.ROOT, "check failed: %s 95%% interval [%.5f, %.5f] misses %s%n",
                                name, e.lo(), e.hi(), expectCiContains);
                        failures++;
                    }
                }
            }
            return failures == 0 ? 0 : 3;
        } catch (IllegalArgumentException | DomainException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
    }

    private int checkRange(ObdEvaluation.Result result) {
        String[] parts = expectRange.split(":");
        if (parts.length != 2) {
            throw new IllegalArgumentException("--expect-range must be LO:HI, got " + expectRange);
        }
        double lo = Double.parseDouble(parts[0]);
        double hi = Double.parseDouble(parts[1]);
        int failures = 0;
        for (String name : List.of("ips", "snips", "dr")) {
            double v = result.report().estimates().get(name).value();
            if (!(v >= lo && v <= hi)) {
                System.err.printf(Locale.ROOT, "check failed: %s = %.5f outside [%s, %s]%n", name, v, lo, hi);
                failures++;
            }
        }
        return failures;
    }
}
