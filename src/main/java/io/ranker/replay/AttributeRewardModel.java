package io.ranker.replay;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The reward model q(item, position) behind DM, DR and switch-DR: a position-based click model
 * q = base x exam(position) x the product of one factor per logged categorical attribute value of the item
 * (category, brand, each tag, sponsored, in_stock, ...), i.e. a Poisson regression with a log link. The position
 * factors are estimated next to the attribute factors, so they are not confounded with what the logging policy
 * puts at each position (the raw click rate of position 1 holds the logging policy's best items; exam(1) does not).
 * DR and switch-DR take from this model what the logs cannot show (a protected first position or a slot holding
 * another item, items the logging policy only reaches by rare exploration), so it must generalise across items:
 * attribute values do, item ids (shown a few times each) do not. Numeric attributes are not used.
 *
 * <p>Fitted by iterative proportional fitting (raking) on a uniform reservoir of the slots seen so far, each
 * factor shrunk towards 1 with {@value #PRIOR} pseudo-clicks: once on demand ({@link CrossFittedRewardModel}, what
 * replays use), or progressively, refitted whenever the number of impressions seen has grown by half, so that every
 * prediction comes from earlier impressions only. Memory is bounded by the reservoir ({@value #RESERVOIR} slots) and the feature dictionary
 * ({@value #MAX_FEATURES} values).
 */
final class AttributeRewardModel implements ProgressiveRewardModel {
    static final int RESERVOIR = 200_000;
    static final int MAX_FEATURES = 20_000;
    static final double PRIOR = 2.0;
    /** Raking rounds at most; it stops earlier once no factor moves by more than {@link #TOLERANCE}. */
    private static final int ITERATIONS = 200;
    private static final double TOLERANCE = 1e-4;
    private static final int MAX_POSITIONS = 200;

    private final Map<String, Integer> dictionary = new HashMap<>();
    /** Per feature: its group (the attribute name, or positions): factors of one group are raked together. */
    private final List<Integer> groupOf = new ArrayList<>();
    private final Map<String, Integer> groups = new HashMap<>();
    private double[] factor = new double[0];
    private double base;
    private boolean fitted;

    private final int[][] slotFeatures = new int[RESERVOIR][];
    private final float[] slotReward = new float[RESERVOIR];
    private int stored;
    private long slotsSeen;
    private long impressionsSeen;
    private long nextRefit = 20;
    private double rewardSeen;
    private final SplittableRandom random = new SplittableRandom(0x5EED);
    private final boolean progressive;

    private Map<String, Map<String, Object>> attributes = Map.of();
    private final Map<String, int[]> itemFeatures = new HashMap<>();

    /** @param progressive refit as impressions arrive (predictions from earlier ones); false: only on {@link #refitNow} */
    AttributeRewardModel(boolean progressive) {
        this.progressive = progressive;
    }

    AttributeRewardModel() {
        this(true);
    }

    @Override
    public void forRequest(String impressionId, Map<String, Map<String, Object>> attributesById) {
        impressionsSeen++;
        if (progressive && impressionsSeen >= nextRefit) {
            refit();
            nextRefit = Math.max(nextRefit + 1, (long) (impressionsSeen * 1.5));
        }
        this.attributes = attributesById;
        this.itemFeatures.clear();
    }

    /** Fits on everything observed so far. */
    void refitNow() {
        refit();
    }

    /** The attributes to predict with, without counting a request (a model fitted beforehand). */
    void useAttributes(Map<String, Map<String, Object>> attributesById) {
        this.attributes = attributesById;
        this.itemFeatures.clear();
    }

    @Override
    public double predict(String itemId, int position) {
        if (!fitted) return slotsSeen == 0 ? 0.0 : rewardSeen / slotsSeen;
        double q = base;
        Integer p = dictionary.get(positionKey(position));
        if (p != null && p < factor.length) q *= factor[p];
        for (int f : knownFeatures(itemId)) if (f < factor.length) q *= factor[f];
        return Math.min(1.0, q);
    }

    @Override
    public void observe(String itemId, int position, double reward) {
        slotsSeen++;
        double y = Math.min(Math.max(reward, 0.0), 1.0);
        rewardSeen += y;
        int[] item = features(itemId, true);
        itemFeatures.remove(itemId); // it may know new values now
        Integer p = feature(positionKey(position), "position", true);
        int[] all = new int[item.length + (p == null ? 0 : 1)];
        System.arraycopy(item, 0, all, 0, item.length);
        if (p != null) all[item.length] = p;
        int at;
        if (stored < RESERVOIR) {
            at = stored++;
        } else {
            long j = random.nextLong(slotsSeen);
            if (j >= RESERVOIR) return;
            at = (int) j;
        }
        slotFeatures[at] = all;
        slotReward[at] = (float) y;
    }

    /** Raking: each group's factors in turn matched to the observed rewards of their slots, shrunk towards 1. */
    private void refit() {
        if (stored == 0) return;
        int n = dictionary.size();
        double[] f = new double[n];
        java.util.Arrays.fill(f, 1.0);
        double clicks = 0;
        for (int i = 0; i < stored; i++) clicks += slotReward[i];
        double b = Math.max(clicks, 0.5) / stored;
        double[] mu = new double[stored];
        java.util.Arrays.fill(mu, b);
        int groupCount = groups.size();
        int[] group = new int[n];
        for (int v = 0; v < n; v++) group[v] = groupOf.get(v);
        double[] observed = new double[n];
        for (int i = 0; i < stored; i++) for (int v : slotFeatures[i]) if (v < n) observed[v] += slotReward[i];
        double[] expected = new double[n];
        for (int it = 0; it < ITERATIONS; it++) {
            double moved = 0;
            for (int g = 0; g < groupCount; g++) {
                java.util.Arrays.fill(expected, 0.0);
                for (int i = 0; i < stored; i++) {
                    for (int v : slotFeatures[i]) if (v < n && group[v] == g) expected[v] += mu[i] / f[v];
                }
                double[] ratio = new double[n];
                java.util.Arrays.fill(ratio, 1.0);
                for (int v = 0; v < n; v++) {
                    if (group[v] != g || expected[v] == 0) continue;
                    double updated = (observed[v] + PRIOR) / (expected[v] + PRIOR);
                    ratio[v] = updated / f[v];
                    moved = Math.max(moved, Math.abs(ratio[v] - 1));
                    f[v] = updated;
                }
                for (int i = 0; i < stored; i++) {
                    for (int v : slotFeatures[i]) if (v < n && group[v] == g) mu[i] *= ratio[v];
                }
            }
            // the base keeps the total right after every round of factors
            double total = 0;
            for (int i = 0; i < stored; i++) total += mu[i];
            double scale = total > 0 ? clicks / total : 1.0;
            if (clicks > 0) {
                b *= scale;
                for (int i = 0; i < stored; i++) mu[i] *= scale;
            }
            if (moved < TOLERANCE) break;
        }
        // Each group's factors averaged (over its slots) to 1, the scale moved to the base: an attribute value the fit
        // never saw (factor 1) then counts as an average one, not as whatever the raking's scale happened to be.
        double[] weighted = new double[groupCount];
        double[] count = new double[groupCount];
        for (int i = 0; i < stored; i++) {
            for (int v : slotFeatures[i]) {
                if (v >= n) continue;
                weighted[group[v]] += f[v];
                count[group[v]]++;
            }
        }
        for (int g = 0; g < groupCount; g++) {
            if (count[g] == 0 || group.length == 0) continue;
            double mean = weighted[g] / count[g];
            if (!(mean > 0)) continue;
            for (int v = 0; v < n; v++) if (group[v] == g) f[v] /= mean;
            b *= mean;
        }
        // and the base matched to the total again (exact when every slot has every group)
        double total = 0;
        for (int i = 0; i < stored; i++) {
            double m = b;
            for (int v : slotFeatures[i]) if (v < n) m *= f[v];
            total += m;
        }
        if (total > 0 && clicks > 0) b *= clicks / total;
        factor = f;
        base = b;
        fitted = clicks > 0;
    }

    /** The item's features already in the dictionary, cached for the request (predictions ask for every candidate). */
    private int[] knownFeatures(String itemId) {
        int[] f = itemFeatures.get(itemId);
        if (f == null) {
            f = features(itemId, false);
            itemFeatures.put(itemId, f);
        }
        return f;
    }

    private int[] features(String itemId, boolean grow) {
        Map<String, Object> attrs = attributes.get(itemId);
        List<Integer> out = new ArrayList<>();
        if (attrs != null) {
            for (Map.Entry<String, Object> e : attrs.entrySet()) {
                Object v = e.getValue();
                if (v instanceof String || v instanceof Boolean) {
                    add(out, feature(e.getKey() + "=" + v, e.getKey(), grow));
                } else if (v instanceof Collection<?> c) {
                    for (Object x : c) if (x != null) add(out, feature(e.getKey() + "=" + x, e.getKey(), grow));
                    if (c.isEmpty()) add(out, feature(e.getKey() + "=(none)", e.getKey(), grow));
                }
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void add(List<Integer> out, Integer f) {
        if (f != null) out.add(f);
    }

    private Integer feature(String key, String group, boolean grow) {
        Integer f = dictionary.get(key);
        if (f != null || !grow || dictionary.size() >= MAX_FEATURES) return f;
        f = dictionary.size();
        dictionary.put(key, f);
        groupOf.add(groups.computeIfAbsent(group, g -> groups.size()));
        return f;
    }

    private static String positionKey(int position) {
        return "position=" + Math.min(Math.max(position, 1), MAX_POSITIONS);
    }
}
