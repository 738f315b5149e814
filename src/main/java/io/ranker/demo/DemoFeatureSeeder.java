package io.ranker.demo;

import io.ranker.features.FeatureStore;
import io.ranker.features.StoredFeatures;
import io.ranker.features.FeatureSchema;
import io.ranker.features.FeatureType;
import io.ranker.features.FeatureSpec;
import io.ranker.features.FeatureCodec;
import io.ranker.features.FeatureGroup;
import io.ranker.core.Item;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Generates the demo's stored features from the demo catalog, deterministically from a seed, and writes them to
 * whichever store is configured. Item features (popularity, ctr_7d, review_count, stock) follow a latent quality
 * (from the item's rating where it has one) and the catalog's popularity; each demo user favors a few categories
 * and brands, and gets affinities, a mean price and an embedding to match. Only features the
 * schema declares as stored are written, so an edited schema still seeds cleanly.
 */
public final class DemoFeatureSeeder {

    public record Summary(int items, int users) {
    }

    private DemoFeatureSeeder() {
    }

    /** The id of generated demo user {@code i} (0-based), as {@link DemoUsers} names them: "u0", "u1", ... */
    public static String userId(int i) {
        return "u" + i;
    }

    /**
     * Seeds item features and the features of the demo's own users ({@link DemoUsers}): their favourite
     * categories get high affinity, their taste vector is the user vector, their price preference sets the mean
     * price. This is what the service calls at first start, so features agree with the simulator's truth.
     */
    public static Summary seed(List<Item> items, List<DemoUsers.DemoUser> users, long seed, FeatureSchema schema, FeatureStore store) {
        long now = System.currentTimeMillis();
        Map<String, byte[]> out = itemValues(items, seed, now, schema, store);
        UserModel model = new UserModel(items);
        for (DemoUsers.DemoUser u : users) {
            out.put(store.keys().user(u.id()), FeatureCodec.encode(userFeatures(u, seed, now, model, schema)));
        }
        write(store, out);
        return new Summary(items.size(), users.size());
    }

    /**
     * Seeds unless the store already holds the demo's features (it checks the first item and the first user).
     * Call it at every start: the in-memory store is empty after a restart, Redis usually is not.
     *
     * @return true when it seeded
     */
    public static boolean seedIfMissing(List<Item> items, List<DemoUsers.DemoUser> users, long seed, FeatureSchema schema,
                                        FeatureStore store) {
        if (items.isEmpty()) return false;
        List<String> probe = users.isEmpty() ? List.of(store.keys().item(items.get(0).id()))
                : List.of(store.keys().item(items.get(0).id()), store.keys().user(users.get(0).id()));
        try {
            byte[][] found = store.get(probe).get(10, TimeUnit.SECONDS);
            boolean all = true;
            for (byte[] f : found) all &= f != null;
            if (all) return false;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the " + store.kind() + " feature store: " + e, e);
        }
        seed(items, users, seed, schema, store);
        return true;
    }

    /** Seeds item features and {@code users} generated users "u0".."u(n-1)" drawn from the catalog alone. */
    public static Summary seed(List<Item> items, int users, long seed, FeatureSchema schema, FeatureStore store) {
        long now = System.currentTimeMillis();
        Map<String, byte[]> out = itemValues(items, seed, now, schema, store);
        UserModel model = new UserModel(items);
        for (int i = 0; i < users; i++) {
            Random r = new Random(seed * 7_919L + i);
            List<String> fav = model.pick(model.categories, 1 + r.nextInt(2), r);
            DemoUsers.DemoUser u = new DemoUsers.DemoUser(userId(i), fav, model.meanVector(fav, r), r.nextDouble());
            out.put(store.keys().user(u.id()), FeatureCodec.encode(userFeatures(u, seed, now, model, schema)));
        }
        write(store, out);
        return new Summary(items.size(), users);
    }

    private static Map<String, byte[]> itemValues(List<Item> items, long seed, long now, FeatureSchema schema, FeatureStore store) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (Item item : items) {
            out.put(store.keys().item(item.id()), FeatureCodec.encode(itemFeatures(item, seed, now, schema)));
        }
        return out;
    }

    private static void write(FeatureStore store, Map<String, byte[]> out) {
        try {
            store.put(out).get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("seeding demo features into the " + store.kind() + " store failed: " + e, e);
        }
    }

    static StoredFeatures itemFeatures(Item item, long seed, long now, FeatureSchema schema) {
        Random r = new Random(seed * 1_000_003L ^ item.id().hashCode());
        Double rating = item.numberAttribute("rating");
        double quality = rating != null ? Math.min(1, Math.max(0, rating / 5.0)) : r.nextDouble();
        boolean sponsored = Boolean.TRUE.equals(item.attribute("sponsored"));
        boolean inStock = !Boolean.FALSE.equals(item.attribute("in_stock"));
        Double catalogPopularity = item.numberAttribute("popularity");
        double views = (catalogPopularity != null ? catalogPopularity : Math.exp(3 + 1.2 * r.nextGaussian()))
                * (0.5 + quality) * Math.exp(0.2 * r.nextGaussian());
        Map<String, Float> v = new LinkedHashMap<>();
        v.put("popularity", (float) Math.log1p(views));
        v.put("ctr_7d", (float) clamp(0.01 + 0.08 * quality * (sponsored ? 0.7 : 1.0) + 0.01 * r.nextGaussian(), 0.001, 0.5));
        v.put("review_count", (float) Math.round(views * 0.05 * (0.5 + r.nextDouble())));
        v.put("stock", inStock ? 1 + r.nextInt(500) : 0f);
        if (rating != null) v.put("rating", rating.floatValue());
        // Stored item columns the demo does not know (a wider schema, e.g. the load tests' 100-feature one) get
        // values too: the latent quality seen through a per-column weight plus noise, so they are neither empty
        // nor all alike and a model trained on them splits on them.
        for (FeatureSpec f : schema.columns(FeatureGroup.ITEM)) {
            if (f.isStored() && !v.containsKey(f.name()) && f.type() != FeatureType.VECTOR && f.type() != FeatureType.MAP) {
                double w = ((f.name().hashCode() & 0xff) - 128) / 128.0;
                v.put(f.name(), (float) (w * quality + 0.3 * r.nextGaussian()));
            }
        }
        long writtenAt = now - (long) (r.nextDouble() * 6 * 3_600_000);
        return StoredFeatures.of(writtenAt, keepStored(v, schema, FeatureGroup.ITEM), Map.of());
    }

    static StoredFeatures userFeatures(DemoUsers.DemoUser u, long seed, long now, UserModel model, FeatureSchema schema) {
        Random r = new Random(seed * 7_919L + u.id().hashCode());
        List<String> favCats = u.favourites();
        Map<String, Float> v = new LinkedHashMap<>();
        for (String c : model.categories) {
            int rank = favCats.indexOf(c);
            double aff = rank == 0 ? 0.75 + 0.25 * r.nextDouble() : rank > 0 ? 0.45 + 0.3 * r.nextDouble() : 0.25 * r.nextDouble();
            v.put("category_affinity." + c, (float) aff);
        }
        List<String> brandPool = new ArrayList<>();
        for (String c : favCats) brandPool.addAll(model.brandsByCategory.getOrDefault(c, List.of()));
        for (String b : model.pick(brandPool.isEmpty() ? model.brands : brandPool, 2, r)) {
            v.put("brand_affinity." + b, (float) (0.5 + 0.5 * r.nextDouble()));
        }
        // price preference 0..1 -> that quantile of the favourite categories' log-price range
        double meanPrice = favCats.stream().mapToDouble(c -> {
            double[] range = model.priceRange.getOrDefault(c, new double[]{10, 100});
            return Math.exp(Math.log(range[0]) + u.pricePreference() * (Math.log(range[1]) - Math.log(range[0])));
        }).average().orElse(50);
        v.put("mean_price", (float) (meanPrice * Math.exp(0.1 * r.nextGaussian())));
        int activity = (int) Math.round(Math.max(0, 5 + 4 * r.nextGaussian()));
        v.put("activity_7d", (float) activity);
        v.put("clicks_30d", (float) Math.round(activity * 4 * (0.5 + r.nextDouble())));
        Map<String, float[]> vectors = new HashMap<>();
        FeatureSpec vecSpec = schema.feature("user_vector");
        if (u.vector() != null && vecSpec != null && vecSpec.type() == FeatureType.VECTOR) vectors.put("user_vector", u.vector());
        long writtenAt = now - (long) (r.nextDouble() * 24 * 3_600_000);
        return StoredFeatures.of(writtenAt, keepStored(v, schema, FeatureGroup.USER), vectors);
    }

    private static Map<String, Float> keepStored(Map<String, Float> v, FeatureSchema schema, FeatureGroup group) {
        Map<String, Float> out = new LinkedHashMap<>();
        v.forEach((name, x) -> {
            int dot = name.indexOf('.');
            FeatureSpec spec = schema.feature(dot > 0 ? name.substring(0, dot) : name);
            if (spec != null && spec.group() == group && spec.isStored() && (spec.type() == FeatureType.MAP) == (dot > 0)) {
                out.put(name, x);
            }
        });
        return out;
    }

    private static double clamp(double x, double lo, double hi) {
        return Math.max(lo, Math.min(hi, x));
    }

    /** What users are drawn from: the catalog's categories, brands, prices and vectors (sorted: deterministic). */
    static final class UserModel {
        final List<String> categories;
        final List<String> brands;
        final Map<String, double[]> priceRange = new HashMap<>();
        final Map<String, List<String>> brandsByCategory = new TreeMap<>();
        final Map<String, List<float[]>> vectors = new TreeMap<>();

        UserModel(List<Item> items) {
            TreeSet<String> cats = new TreeSet<>();
            TreeSet<String> brandSet = new TreeSet<>();
            for (Item it : items) {
                String c = it.attribute("category") == null ? "none" : String.valueOf(it.attribute("category"));
                cats.add(c);
                if (it.attribute("brand") != null) {
                    String b = String.valueOf(it.attribute("brand"));
                    brandSet.add(b);
                    List<String> bs = brandsByCategory.computeIfAbsent(c, k -> new ArrayList<>());
                    if (!bs.contains(b)) bs.add(b);
                }
                Double p = it.numberAttribute("price");
                if (p != null && p > 0) {
                    double[] range = priceRange.computeIfAbsent(c, k -> new double[]{p, p});
                    range[0] = Math.min(range[0], p);
                    range[1] = Math.max(range[1], p);
                }
                if (it.vector() != null) vectors.computeIfAbsent(c, k -> new ArrayList<>()).add(it.vector());
            }
            categories = List.copyOf(cats.isEmpty() ? List.of("none") : cats);
            brands = List.copyOf(brandSet);
            brandsByCategory.values().forEach(java.util.Collections::sort);
        }

        List<String> pick(List<String> from, int n, Random r) {
            List<String> copy = new ArrayList<>(from);
            java.util.Collections.shuffle(copy, r);
            return copy.subList(0, Math.min(n, copy.size()));
        }

        float[] meanVector(List<String> cats, Random r) {
            float[] sum = null;
            for (String c : cats) {
                List<float[]> vs = vectors.getOrDefault(c, List.of());
                for (int k = 0; k < Math.min(20, vs.size()); k++) {
                    float[] v = vs.get(r.nextInt(vs.size()));
                    if (sum == null) sum = new float[v.length];
                    if (v.length != sum.length) continue;
                    for (int j = 0; j < v.length; j++) sum[j] += v[j];
                }
            }
            if (sum == null) return null;
            double norm = 0;
            for (float x : sum) norm += x * x;
            if (norm == 0) return null;
            for (int j = 0; j < sum.length; j++) sum[j] /= (float) Math.sqrt(norm);
            return sum;
        }
    }
}
