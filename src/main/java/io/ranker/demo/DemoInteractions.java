package io.ranker.demo;

import io.ranker.core.Candidate;
import io.ranker.core.RankRequest;
import io.ranker.pipeline.RankingPipeline;
import io.ranker.progress.Progress;
import io.ranker.training.TrainingSet;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates the interactions the demo model is trained on: demo users send feed and search requests through
 * the real retrieval and feature stages; ten candidates drawn from the top 50 are shown in a uniformly random
 * order, and clicks are drawn from the {@link DemoClickModel}. Random order makes every position equally
 * likely for every item, so the clicks are an unbiased (if noisy) signal of relevance without any
 * propensity correction.
 */
public final class DemoInteractions {
    private static final int POOL = 50;
    private static final int SHOWN = 10;
    private static final Logger LOG = Logger.getLogger(DemoInteractions.class);

    private DemoInteractions() {
    }

    public static TrainingSet generate(RankingPipeline pipeline, List<DemoUsers.DemoUser> users, DemoClickModel truth,
                                       List<String> featureNames, int requests, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<String> categories = DemoCatalog.categoryNames();
        List<float[]> rows = new ArrayList<>(requests * SHOWN);
        List<Integer> groups = new ArrayList<>(requests);
        float[] labels = new float[requests * SHOWN];
        int n = 0;
        // each request runs the real retrieval and scoring: on first start this is most of the wait
        Progress progress = Progress.logged("first-start demo interactions", "requests", requests, LOG::info);
        for (int i = 0; i < requests; i++) {
            progress.update(i, i);
            DemoUsers.DemoUser user = users.get(r.nextInt(users.size()));
            boolean search = r.nextBoolean();
            String query = null;
            if (search) {
                // Users mostly search for what they like, sometimes for anything.
                String cat = r.nextDouble() < 0.7 ? user.favourites().get(0) : categories.get(r.nextInt(categories.size()));
                query = DemoCatalog.sampleQuery(cat, r);
            }
            RankRequest req = new RankRequest(search ? "search" : "feed", user.id(), query, null, null, null, SHOWN, false, null);
            List<Candidate> pool = pipeline.retrieveAndScore(req).candidates();
            if (pool.size() < SHOWN) continue;
            List<Candidate> top = new ArrayList<>(pool.subList(0, Math.min(POOL, pool.size())));
            // Partial Fisher-Yates: the first SHOWN entries become a uniform random ordered sample.
            for (int k = 0; k < SHOWN; k++) {
                int j = k + r.nextInt(top.size() - k);
                Candidate t = top.get(k);
                top.set(k, top.get(j));
                top.set(j, t);
            }
            for (int pos = 1; pos <= SHOWN; pos++) {
                Candidate c = top.get(pos - 1);
                float[] f = c.features() != null ? c.features() : nanRow(featureNames.size());
                rows.add(f);
                labels[n++] = r.nextDouble() < truth.clickProbability(user.id(), c.item(), pos, query) ? 1f : 0f;
            }
            groups.add(SHOWN);
        }
        progress.update(requests, requests);
        progress.finish();
        float[] usedLabels = java.util.Arrays.copyOf(labels, n);
        return TrainingSet.of(featureNames, rows, usedLabels, groups.stream().mapToInt(Integer::intValue).toArray(), null);
    }

    private static float[] nanRow(int n) {
        float[] f = new float[n];
        java.util.Arrays.fill(f, Float.NaN);
        return f;
    }
}
