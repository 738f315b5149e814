package io.ranker.features;

import io.ranker.catalog.Item;

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
 * (from the item's rating where it has one); each demo user ({@link #userId}) favors a few categories and brands,
 * and gets affinities, a mean price and an embedding (mean of favored items' vectors) to match. Only features the
 * schema declares as stored are written, so an edited schema still seeds cleanly.
 */
public final class DemoFeatureSeeder {

    public record Summary(int items, int users) {
    }

    private DemoFeatureSeeder() {
    }

    /** The id of demo user {@code i} (1-based): "u1", "u2", ... */
    public static String userId(int i) {
        return "u" + i;
    }

    /** Generates and writes (blocking, up to a minute) the demo features. */
    public static Summary seed(List<Item> items, int users, long seed, FeatureSchema schema, FeatureStore store) {
        long now = System.currentTimeMillis();
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (Item item : items) {
            out.put(store.keys().item(item.id()), FeatureCodec.encode(itemFeatures(item, seed, now, schema)));
        }
        UserModel model = new UserModel(items);
        for (int i = 1; i <= users; i++) {
            out.put(store.keys().user(userId(i)), FeatureCodec.encode(userFeatures(i, seed, now, model, schema)));
        }
        try {
            store.put(out).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("seeding demo features into the " + store.kind() + " store failed: " + e, e);
        }
        return new Summary(items.size(), users);
    }

    static StoredFeatures itemFeatures(Item item, long seed, long now, FeatureSchema schema) {
        Random r = new Random(seed * 1_000_003L ^ item.id().hashCode());
        Double rating = item.numberAttribute("rating");
        double quality = rating != null ? Math.min(1, Math.max(0, rating / 5.0)) : r.nextDouble();
        boolean sponsored = Boolean.TRUE.equals(item.attribute("sponsored"));
        boolean inStock = !Boolean.FALSE.equals(item.attribute("in_stock"));
        double views = Math.exp(3 + 1.2 * r.nextGaussian()) * (0.5 + quality);
        Map<String, Float> v = new LinkedHashMap<>();
        v.put("popularity", (float) Math.log1p(views));
        v.put("ctr_7d", (float) clamp(0.01 + 0.08 * quality * (sponsored ? 0.7 : 1.0) + 0.01 * r.nextGaussian(), 0.001, 0.5));
        v.put("review_count", (float) Math.round(views * 0.05 * (0.5 + r.nextDouble())));
        v.put("stock", inStock ? 1 + r.nextInt(500) : 0f);
        if (rating != null) v.put("rating", rating.floatValue());
        long writtenAt = now - (long) (r.nextDouble() * 6 * 3_600_000);
        return StoredFeatures.of(writtenAt, keepStored(v, schema, FeatureGroup.ITEM), Map.of());
    }

    static StoredFeatures userFeatures(int i, long seed, long now, UserModel model, FeatureSchema schema) {
        Random r = new Random(seed * 7_919L + i);
        List<String> favCats = model.pick(model.categories, 1 + r.nextInt(3), r);
        List<String> favBrands = model.pick(model.brands, Math.min(2, model.brands.size()), r);
        Map<String, Float> v = new LinkedHashMap<>();
        for (String c : model.categories) {
            v.put("category_affinity." + c, (float) (favCats.contains(c) ? 0.6 + 0.4 * r.nextDouble() : 0.3 * r.nextDouble()));
        }
        for (String b : favBrands) v.put("brand_affinity." + b, (float) (0.5 + 0.5 * r.nextDouble()));
        double meanPrice = favCats.stream().mapToDouble(c -> model.meanPrice.getOrDefault(c, 50.0)).average().orElse(50);
        v.put("mean_price", (float) (meanPrice * Math.exp(0.3 * r.nextGaussian())));
        int activity = (int) Math.round(Math.max(0, 5 + 4 * r.nextGaussian()));
        v.put("activity_7d", (float) activity);
        v.put("clicks_30d", (float) Math.round(activity * 4 * (0.5 + r.nextDouble())));
        Map<String, float[]> vectors = new HashMap<>();
        float[] vec = model.meanVector(favCats, r);
        if (vec != null && schema.feature("user_vector") != null) vectors.put("user_vector", vec);
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
        final Map<String, Double> meanPrice = new HashMap<>();
        final Map<String, List<float[]>> vectors = new TreeMap<>();

        UserModel(List<Item> items) {
            TreeSet<String> cats = new TreeSet<>();
            TreeSet<String> brandSet = new TreeSet<>();
            Map<String, double[]> price = new HashMap<>();
            for (Item it : items) {
                String c = it.attribute("category") == null ? "none" : String.valueOf(it.attribute("category"));
                cats.add(c);
                if (it.attribute("brand") != null) brandSet.add(String.valueOf(it.attribute("brand")));
                Double p = it.numberAttribute("price");
                if (p != null) {
                    double[] s = price.computeIfAbsent(c, k -> new double[2]);
                    s[0] += p;
                    s[1]++;
                }
                if (it.vector() != null) vectors.computeIfAbsent(c, k -> new ArrayList<>()).add(it.vector());
            }
            categories = List.copyOf(cats.isEmpty() ? List.of("none") : cats);
            brands = List.copyOf(brandSet);
            price.forEach((c, s) -> meanPrice.put(c, s[0] / s[1]));
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
