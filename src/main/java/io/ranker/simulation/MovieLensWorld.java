package io.ranker.simulation;

import io.ranker.core.Item;
import io.ranker.features.FeatureCodec;
import io.ranker.features.FeatureGroup;
import io.ranker.features.FeatureSchema;
import io.ranker.features.FeatureSpec;
import io.ranker.features.FeatureStore;
import io.ranker.features.FeatureType;
import io.ranker.features.StoredFeatures;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * A simulated world derived from the MovieLens ratings (GroupLens; research use only, see the dataset's README).
 *
 * <p>Catalog: the {@code maxMovies} most-rated movies with at least {@link #MIN_MOVIE_RATINGS} ratings; id
 * {@code m<movieId>}, title, genres as {@code tags} and the first genre as {@code category}, {@code popularity} =
 * number of ratings, {@code rating} = mean stars. Users: a seeded sample of {@code maxUsers} of the users with at
 * least {@link #MIN_USER_RATINGS} ratings of those movies, id {@code u<userId>}.
 *
 * <p>Truth: a biased matrix factorisation ({@link MatrixFactorization}, k = {@link #FACTORS}) of all kept ratings
 * predicts the stars r of every user-movie pair, and relevance (the probability that a user who examines the movie
 * clicks it) is {@code MAX_RELEVANCE / (1 + exp(-(r - PIVOT) / SCALE))}: 0.4 at a predicted 4 stars, 0.12 at 3.5,
 * 0.68 at 4.5. What the ranker is served is deliberately not the truth: the item and user vectors (vector retrieval,
 * the {@code user_item_cosine} feature) come from a second factorisation with another seed on 80% of the ratings,
 * the stored features are rating counts and per-genre liking shares, and the policy buries movies rated 3 stars or
 * less on average.
 */
public final class MovieLensWorld implements SimulatedWorld {
    public static final int MIN_MOVIE_RATINGS = 20;
    public static final int MIN_USER_RATINGS = 20;
    public static final int FACTORS = 16;
    public static final double MAX_RELEVANCE = 0.8;
    public static final double PIVOT = 4.0;
    public static final double SCALE = 0.4;
    /** Share of the ratings the served (non-truth) factorisation sees. */
    static final double SERVED_SHARE = 0.8;

    static final String PIPELINE_YAML = """
            surface: sim
            description: Simulator feed on MovieLens. Small candidate sets so explorer propensities are exact.
            limit: {default: 5, max: 10}
            sources:
              - {name: vector, type: vector, vector: user, limit: 8, efSearch: 64}
              - {name: popular, type: popular, by: popularity, limit: 4, weight: 2.0}
            minCandidates: 5
            fusion: {type: rrf, k: 60}
            budgets: {retrievalMs: 5000, featuresMs: 5000, scoringMs: 5000, totalMs: 20000}
            """;

    static final String POLICY_YAML = """
            surface: sim
            description: Simulator policy on MovieLens.
            rules:
              - id: bury-low-rating
                type: bury
                when: {attribute: rating, range: {max: 3.0}}
                multiply: 0.8
            """;

    private final Path dir;
    private final MovieLensRatings ratings;
    private final MatrixFactorization truth;
    private final MatrixFactorization served;
    private final List<Item> items;
    private final Map<String, Integer> itemIndex = new HashMap<>();
    private final List<User> users;
    private final int[] userRows;
    private final Map<String, Integer> userPosition = new HashMap<>();
    private final float[][] relevance;
    private final int[] counts;

    /**
     * @param dir       an ml-latest-small (or larger) directory with ratings.csv and movies.csv
     * @param maxMovies catalog size cap (the most-rated movies)
     * @param maxUsers  simulated users (a seeded sample)
     * @param seed      for the factorisations and the sample
     */
    public MovieLensWorld(Path dir, int maxMovies, int maxUsers, long seed) {
        this.dir = dir;
        this.ratings = MovieLensRatings.load(dir, MIN_MOVIE_RATINGS, maxMovies, MIN_USER_RATINGS);
        if (ratings.users() == 0 || ratings.movies().size() < 20) {
            throw new IllegalArgumentException(dir + ": too few movies or users left after the minimum-ratings filter");
        }
        this.truth = MatrixFactorization.fit(ratings, null, settings(seed));
        SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
        boolean[] servedSample = new boolean[ratings.size()];
        for (int k = 0; k < servedSample.length; k++) servedSample[k] = r.nextDouble() < SERVED_SHARE;
        this.served = MatrixFactorization.fit(ratings, servedSample, settings(seed + 1));

        counts = new int[ratings.movies().size()];
        double[] stars = new double[counts.length];
        for (int k = 0; k < ratings.size(); k++) {
            counts[ratings.movie(k)]++;
            stars[ratings.movie(k)] += ratings.rating(k);
        }
        List<Item> its = new ArrayList<>(counts.length);
        for (int i = 0; i < counts.length; i++) {
            MovieLensRatings.Movie m = ratings.movies().get(i);
            Map<String, Object> attrs = new LinkedHashMap<>();
            attrs.put("category", m.genres().isEmpty() ? "none" : m.genres().get(0));
            attrs.put("tags", m.genres());
            attrs.put("popularity", (double) counts[i]);
            attrs.put("rating", Math.round(stars[i] / counts[i] * 100) / 100.0);
            String id = "m" + m.id();
            itemIndex.put(id, i);
            its.add(new Item(id, m.title(), m.title() + " " + String.join(" ", m.genres()), attrs, served.itemFactors(i)));
        }
        this.items = List.copyOf(its);

        int[] ids = ratings.userIds();
        int[] rows = new int[ids.length];
        for (int u = 0; u < rows.length; u++) rows[u] = u;
        for (int a = rows.length - 1; a > 0; a--) {
            int b = r.nextInt(a + 1);
            int t = rows[a];
            rows[a] = rows[b];
            rows[b] = t;
        }
        this.userRows = java.util.Arrays.stream(rows).limit(Math.min(maxUsers, rows.length)).sorted().toArray();
        List<User> us = new ArrayList<>(userRows.length);
        relevance = new float[userRows.length][items.size()];
        for (int p = 0; p < userRows.length; p++) {
            int u = userRows[p];
            String id = "u" + ids[u];
            userPosition.put(id, p);
            us.add(new User(id, served.userFactors(u)));
            for (int i = 0; i < items.size(); i++) relevance[p][i] = (float) relevanceOfStars(truth.predict(u, i));
        }
        this.users = List.copyOf(us);
    }

    static MatrixFactorization.Settings settings(long seed) {
        MatrixFactorization.Settings d = MatrixFactorization.Settings.defaults(seed);
        return new MatrixFactorization.Settings(FACTORS, d.epochs(), d.learningRate(), d.regularization(), d.initScale(), seed);
    }

    /** The documented mapping from predicted stars to click probability given examination. */
    public static double relevanceOfStars(double stars) {
        return MAX_RELEVANCE / (1 + Math.exp(-(stars - PIVOT) / SCALE));
    }

    public MovieLensRatings ratings() { return ratings; }

    /** The factorisation that defines the truth. */
    public MatrixFactorization truth() { return truth; }

    @Override
    public String description() {
        return String.format(Locale.ROOT, "MovieLens %s: %d movies (>= %d ratings), %d of %d users (>= %d ratings),"
                        + " %d ratings; truth = biased MF k=%d, relevance = %.1f / (1 + exp(-(stars - %.1f) / %.1f))",
                dir.getFileName(), items.size(), MIN_MOVIE_RATINGS, users.size(), ratings.users(), MIN_USER_RATINGS,
                ratings.size(), FACTORS, MAX_RELEVANCE, PIVOT, SCALE);
    }

    @Override
    public int dimension() { return FACTORS; }

    @Override
    public List<Item> items() { return items; }

    @Override
    public List<User> users() { return users; }

    @Override
    public ClickModel clickModel(double positionBias) {
        return new ClickModel() {
            @Override
            public double examination(int position) {
                return Math.pow(position, -positionBias);
            }

            @Override
            public double relevance(String userId, Item item) {
                Integer p = userId == null ? null : userPosition.get(userId);
                Integer i = itemIndex.get(item.id());
                return p == null || i == null ? 0.0 : relevance[p][i];
            }
        };
    }

    @Override
    public void seedFeatures(FeatureSchema schema, FeatureStore store) {
        long now = System.currentTimeMillis();
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            Map<String, Float> v = new LinkedHashMap<>();
            v.put("popularity", (float) Math.log1p(counts[i]));
            v.put("review_count", (float) counts[i]);
            out.put(store.keys().item(items.get(i).id()),
                    FeatureCodec.encode(StoredFeatures.of(now, stored(v, schema, FeatureGroup.ITEM), Map.of())));
        }
        // Per user and genre: the smoothed share of her ratings of that genre's movies with 4 stars or more.
        Map<Integer, Integer> position = new HashMap<>();
        for (int p = 0; p < userRows.length; p++) position.put(userRows[p], p);
        List<Map<String, double[]>> liked = new ArrayList<>();
        for (int p = 0; p < userRows.length; p++) liked.add(new HashMap<>());
        for (int k = 0; k < ratings.size(); k++) {
            Integer p = position.get(ratings.user(k));
            if (p == null) continue;
            for (String g : ratings.movies().get(ratings.movie(k)).genres()) {
                double[] a = liked.get(p).computeIfAbsent(g, x -> new double[2]);
                a[0] += ratings.rating(k) >= 4 ? 1 : 0;
                a[1]++;
            }
        }
        FeatureSpec vec = schema.feature("user_vector");
        for (int p = 0; p < userRows.length; p++) {
            Map<String, Float> v = new LinkedHashMap<>();
            for (Map.Entry<String, double[]> e : new java.util.TreeMap<>(liked.get(p)).entrySet()) {
                v.put("category_affinity." + e.getKey(), (float) ((e.getValue()[0] + 1) / (e.getValue()[1] + 2)));
            }
            Map<String, float[]> vectors = vec != null && vec.type() == FeatureType.VECTOR
                    ? Map.of("user_vector", users.get(p).vector()) : Map.of();
            out.put(store.keys().user(users.get(p).id()),
                    FeatureCodec.encode(StoredFeatures.of(now, stored(v, schema, FeatureGroup.USER), vectors)));
        }
        try {
            store.put(out).get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("seeding MovieLens features into the " + store.kind() + " store failed: " + e, e);
        }
    }

    /** Only values the schema stores in {@code group} ("name" scalars, "map.key" entries of map features). */
    private static Map<String, Float> stored(Map<String, Float> v, FeatureSchema schema, FeatureGroup group) {
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

    @Override
    public String pipelineYaml() { return PIPELINE_YAML; }

    @Override
    public String policyYaml() { return POLICY_YAML; }
}
