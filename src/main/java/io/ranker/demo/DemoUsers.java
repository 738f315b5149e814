package io.ranker.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Demo users {@code u0..u(n-1)}, each with two favourite categories (a known truth the simulator and the demo
 * model's generated interactions share) and a taste vector near those categories' centroids.
 */
public final class DemoUsers {
    public record DemoUser(String id, List<String> favourites, float[] vector, double pricePreference) {
    }

    private DemoUsers() {
    }

    public static List<DemoUser> generate(DemoCatalog catalog, int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<String> cats = DemoCatalog.categoryNames();
        List<DemoUser> users = new ArrayList<>(count);
        for (int u = 0; u < count; u++) {
            String a = cats.get(r.nextInt(cats.size()));
            String b = cats.get(r.nextInt(cats.size()));
            float[] va = catalog.centroid(a), vb = catalog.centroid(b);
            float[] v = new float[va.length];
            for (int i = 0; i < v.length; i++) v[i] = 0.65f * va[i] + 0.35f * vb[i];
            users.add(new DemoUser("u" + u, a.equals(b) ? List.of(a) : List.of(a, b), DemoCatalog.unit(v), r.nextDouble()));
        }
        return users;
    }
}
