package io.ranker.explore;

import io.ranker.core.Explorer;
import io.ranker.core.Exploration;
import io.ranker.core.Candidate;
import io.ranker.core.Placement;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** Serves the deterministic list: fixed positions honoured, caps respected, propensity 1 everywhere. */
public final class NoExplorer implements Explorer, PropensityModel {
    public static final NoExplorer INSTANCE = new NoExplorer();

    @Override
    public String name() {
        return "none";
    }

    @Override
    public Exploration explore(List<Candidate> ranked, Placement placement, int limit, long seed) {
        Frame frame = Frame.build(ranked, placement, limit, 0);
        double[] ones = new double[frame.length];
        Arrays.fill(ones, 1.0);
        return new Exploration(List.copyOf(frame.deterministicList()), ones, ones.clone(), false, 0, 0.0);
    }

    @Override
    public PositionMarginals marginals(List<Candidate> ranked, Placement placement, int limit, long seed,
                                       Set<String> notExplorable) {
        Frame frame = Frame.build(ranked, placement, limit, 0);
        double[][] p = new double[frame.length][ranked.size()];
        for (int pos = 0; pos < frame.length; pos++) p[pos][frame.det[pos]] = 1.0;
        return new PositionMarginals(ranked.stream().map(Candidate::id).toList(), p, true, 0, 0.0);
    }
}
