package io.ranker.simulation;

import io.ranker.explore.ExplorerConfig;
import io.ranker.explore.PositionMarginals;
import io.ranker.core.Candidate;
import io.ranker.core.Scorer;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One seed of simulated traffic under the logging policy A (scorer + exploring explorer): {@code impressions}
 * requests from uniformly drawn users, served and logged by the pipeline, clicks drawn and posted to the log.
 * When a target policy B is given, each request is also run through B (not logged) and B's full position
 * distribution on that request is kept, as a replay of B over the logged candidates would compute it.
 */
public final class ExplorationRun {
    /** B's distribution on one logged request, and the policy orders of both (for list-level probabilities). */
    public record Target(PositionMarginals marginals, List<Candidate> targetRanked, PositionMarginals logging,
                         List<Candidate> loggingRanked) {
    }

    public record Result(Path logDir, int impressions, long clicks, Map<String, Target> targets) {
    }

    private ExplorationRun() {
    }

    public static Result run(ClosedLoop loop, Scorer loggingScorer, ExplorerConfig logging, Scorer targetScorer,
                             ExplorerConfig target, int impressions, long seed, Path logDir) {
        PipelineAssembly sim = loop.assembly();
        sim.startLog(logDir);
        // Hash the seed first: SplittableRandom streams of seeds a golden-gamma apart are shifted copies of each other.
        SplittableRandom rnd = new SplittableRandom(new SplittableRandom(seed).nextLong());
        List<String> users = sim.userIds();
        Map<String, Target> targets = new HashMap<>();
        long clicks = 0;
        try {
            for (int i = 0; i < impressions; i++) {
                String user = users.get(rnd.nextInt(users.size()));
                long explorerSeed = rnd.nextLong();
                String id = "s" + seed + "-" + i;
                sim.useScorer(loggingScorer);
                sim.useExplorer(logging);
                ClosedLoop.Served a = loop.serve(user, id, explorerSeed, true);
                clicks += loop.postClicks(a, rnd, System.currentTimeMillis());
                if (target != null) {
                    sim.useScorer(targetScorer);
                    sim.useExplorer(target);
                    ClosedLoop.Served b = loop.serve(user, id + "-target", explorerSeed, false);
                    targets.put(id, new Target(loop.marginals(target, b.call()), b.call().ranked(),
                            loop.marginals(logging, a.call()), a.call().ranked()));
                }
            }
        } finally {
            sim.useScorer(loggingScorer);
            sim.useExplorer(logging);
            sim.closeLog();
        }
        return new Result(logDir, impressions, clicks, targets);
    }
}
