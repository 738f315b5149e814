package io.ranker.explore;

import io.ranker.core.Explorer;
import io.ranker.core.Exploration;
import io.ranker.core.Candidate;
import io.ranker.core.Placement;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Common frame of the stochastic explorers: the deterministic list and held positions come from
 * {@link Frame}; a subclass says which positions are drawn, from which pool, with which weights. Serves
 * either always from the explore branch, or as a mixture with the deterministic list
 * ({@link MixtureExplorer}), and logs the whole policy's propensities.
 *
 * <p>Stream use for a request seed: one {@link SplittableRandom} seeded with it first decides the branch
 * (only when 0 &lt; epsilon &lt; 1), then draws the list; Monte Carlo uses a separate stream derived from
 * the seed. Replaying the seed therefore reproduces the list and its logged propensities bit for bit.
 */
public abstract class StochasticExplorer implements Explorer, PropensityModel {
    /** Pool size up to which marginals are computed exactly by subset dynamic programming. */
    public static final int DEFAULT_EXACT_MAX_POOL = 12;

    protected final int protectedPositions;
    protected final int mcSamples;
    protected final int exactMaxPool;

    protected StochasticExplorer(int protectedPositions, int mcSamples, int exactMaxPool) {
        if (protectedPositions < 0) throw new IllegalArgumentException("protectedPositions < 0");
        if (mcSamples < 1) throw new IllegalArgumentException("mcSamples < 1");
        if (exactMaxPool < 0 || exactMaxPool > 20) throw new IllegalArgumentException("exactMaxPool not in 0..20");
        this.protectedPositions = protectedPositions;
        this.mcSamples = mcSamples;
        this.exactMaxPool = exactMaxPool;
    }

    /** The draw of the explore branch for this request, or null when nothing is drawn. */
    abstract SamplingProblem problem(Frame frame, Set<String> notExplorable);

    @Override
    public Exploration explore(List<Candidate> ranked, Placement placement, int limit, long seed) {
        return explore(ranked, placement, limit, seed, Set.of(), 1.0);
    }

    @Override
    public Exploration explore(List<Candidate> ranked, Placement placement, int limit, long seed,
                               Set<String> notExplorable) {
        return explore(ranked, placement, limit, seed, notExplorable, 1.0);
    }

    @Override
    public PositionMarginals marginals(List<Candidate> ranked, Placement placement, int limit, long seed,
                                       Set<String> notExplorable) {
        return marginals(ranked, placement, limit, seed, notExplorable, 1.0);
    }

    /** Explore on a fraction {@code epsilon} of requests, serve the deterministic list otherwise. */
    Exploration explore(List<Candidate> ranked, Placement placement, int limit, long seed,
                        Set<String> notExplorable, double epsilon) {
        Frame frame = Frame.build(ranked, placement, limit, protectedPositions);
        int m = frame.length;
        double[] propensity = new double[m];
        double[] choice = new double[m];
        Arrays.fill(propensity, 1.0);
        Arrays.fill(choice, 1.0);
        int[] shown = Arrays.copyOf(frame.det, m);
        SamplingProblem sp = m == 0 || epsilon <= 0 ? null : problem(frame, notExplorable);
        if (sp == null || sp.steps == 0) {
            return new Exploration(candidates(ranked, shown), propensity, choice, false, 0, 0.0);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        boolean explored = epsilon >= 1.0 || rng.nextDouble() < epsilon;
        int steps = sp.steps;
        int[] picks = new int[steps];
        double[] stepChoice = new double[steps];
        if (explored) {
            sp.sample(rng, picks, stepChoice);
        } else {
            System.arraycopy(sp.detPicks, 0, picks, 0, steps);
            sp.choiceProbabilities(picks, stepChoice);
        }
        double[] exploreMarginal = new double[steps];
        double[] stdError = new double[steps];
        SamplingProblem.Method method = sp.marginalsOf(picks, seed, mcSamples, exactMaxPool, exploreMarginal, stdError);
        double worstError = 0;
        for (int k = 0; k < steps; k++) {
            int pos = sp.stepPosition[k];
            int r = sp.poolRanked[picks[k]];
            shown[pos - 1] = r;
            choice[pos - 1] = stepChoice[k];
            double deterministic = r == frame.det[pos - 1] ? 1.0 : 0.0;
            propensity[pos - 1] = epsilon >= 1.0 ? exploreMarginal[k]
                    : epsilon * exploreMarginal[k] + (1 - epsilon) * deterministic;
            worstError = Math.max(worstError, Math.min(epsilon, 1.0) * stdError[k]);
        }
        return new Exploration(candidates(ranked, shown), propensity, choice, explored,
                method.exact() ? 0 : method.samples(), worstError);
    }

    PositionMarginals marginals(List<Candidate> ranked, Placement placement, int limit, long seed,
                                Set<String> notExplorable, double epsilon) {
        Frame frame = Frame.build(ranked, placement, limit, protectedPositions);
        double[][] p = new double[frame.length][ranked.size()];
        List<String> ids = ranked.stream().map(Candidate::id).toList();
        for (int pos = 0; pos < frame.length; pos++) p[pos][frame.det[pos]] = 1.0;
        SamplingProblem sp = frame.length == 0 || epsilon <= 0 ? null : problem(frame, notExplorable);
        if (sp == null || sp.steps == 0) return new PositionMarginals(ids, p, true, 0, 0.0);
        double eps = Math.min(epsilon, 1.0);
        double[] maxError = new double[1];
        SamplingProblem.Method[] method = new SamplingProblem.Method[1];
        double[][] explore = sp.allMarginals(seed, mcSamples, exactMaxPool, maxError, method);
        for (int k = 0; k < sp.steps; k++) {
            double[] row = p[sp.stepPosition[k] - 1];
            for (int c = 0; c < row.length; c++) row[c] *= 1 - eps;
            for (int i = 0; i < sp.n; i++) row[sp.poolRanked[i]] += eps * explore[k][i];
        }
        return new PositionMarginals(ids, p, method[0].exact(), method[0].exact() ? 0 : method[0].samples(),
                eps * maxError[0]);
    }

    private static List<Candidate> candidates(List<Candidate> ranked, int[] indices) {
        List<Candidate> out = new ArrayList<>(indices.length);
        for (int r : indices) out.add(ranked.get(r));
        return java.util.Collections.unmodifiableList(out);
    }

    /** Positions of the frame that are neither fixed nor protected, up to {@code maxPosition}. */
    static int[] freePositions(Frame frame, int maxPosition) {
        int upTo = Math.min(frame.length, maxPosition);
        int count = 0;
        for (int p = 1; p <= upTo; p++) if (frame.kind[p - 1] == Frame.FREE) count++;
        int[] out = new int[count];
        int k = 0;
        for (int p = 1; p <= upTo; p++) if (frame.kind[p - 1] == Frame.FREE) out[k++] = p;
        return out;
    }
}
