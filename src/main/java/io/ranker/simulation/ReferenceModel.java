package io.ranker.simulation;

import io.ranker.core.Candidate;
import io.ranker.core.RankRequest;
import io.ranker.scoring.ModelRegistry;
import io.ranker.scoring.XgboostScorer;
import io.ranker.training.TrainingSet;
import io.ranker.training.XgboostTrainer;
import ml.dmlc.xgboost4j.java.XGBoostError;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A model trained on randomized interactions of the simulator's surface (every candidate shown in a uniformly
 * random order, so clicks are unbiased evidence of relevance): the "other model" that policy B of the off-policy
 * experiment serves with. Deterministic for a seed.
 */
public final class ReferenceModel {
    private ReferenceModel() {
    }

    public static XgboostScorer train(ClosedLoop loop, int requests, long seed) {
        PipelineAssembly sim = loop.assembly();
        SplittableRandom r = new SplittableRandom(seed);
        List<String> users = sim.userIds();
        List<float[]> rows = new ArrayList<>();
        List<Integer> groups = new ArrayList<>();
        List<Float> labels = new ArrayList<>();
        int shown = loop.limit();
        for (int i = 0; i < requests; i++) {
            String u = users.get(r.nextInt(users.size()));
            RankRequest req = new RankRequest(PipelineAssembly.SURFACE, u, null, null, null, null, shown, false, null);
            List<Candidate> pool = new ArrayList<>(sim.pipeline().retrieveAndScore(req).candidates());
            if (pool.size() < shown) continue;
            for (int k = 0; k < shown; k++) {
                int j = k + r.nextInt(pool.size() - k);
                Candidate t = pool.get(k);
                pool.set(k, pool.get(j));
                pool.set(j, t);
            }
            for (int k = 0; k < shown; k++) {
                Candidate c = pool.get(k);
                rows.add(c.features());
                labels.add(r.nextDouble() < loop.truth().clickProbability(u, c.item(), k + 1) ? 1f : 0f);
            }
            groups.add(shown);
        }
        float[] y = new float[labels.size()];
        for (int i = 0; i < y.length; i++) y[i] = labels.get(i);
        TrainingSet data = TrainingSet.of(sim.featureNames(), rows, y, groups.stream().mapToInt(Integer::intValue).toArray(), null);
        try {
            ModelRegistry.RegisteredModel m = new XgboostTrainer().trainAndRegister(data,
                    Map.of("objective", "rank:ndcg", "max_depth", 4, "eta", 0.1, "seed", (int) seed), 60, sim.models(),
                    Map.of("source", "simulator: randomized interactions, " + requests + " requests, seed " + seed));
            return sim.models().scorer(m.version());
        } catch (XGBoostError e) {
            throw new IllegalStateException("training the reference model failed: " + e.getMessage(), e);
        }
    }
}
