package io.ranker.simulation;

import io.ranker.core.Item;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The MovieLens loader and factorisation on ml-latest-small beside the checkout (skipped when absent): the
 * factorisation predicts held-out ratings clearly better than the global mean and than per-movie means, and the
 * world's relevance follows what its users actually rated.
 */
class MovieLensWorldTest {
    static final Path ML = Path.of(System.getenv().getOrDefault("RANKER_DATASETS", "../shared/datasets"),
            "movielens-latest-small");

    @Test
    void factorisationPredictsHeldOutRatingsBetterThanMeans() {
        Assumptions.assumeTrue(Files.isRegularFile(ML.resolve("ratings.csv")), "dataset absent: " + ML.toAbsolutePath());
        MovieLensRatings data = MovieLensRatings.load(ML, 20, Integer.MAX_VALUE, 20);
        assertThat(data.movies().size()).isBetween(1000, 2000);
        assertThat(data.users()).isBetween(400, 610);
        boolean[] train = new boolean[data.size()];
        SplittableRandom r = new SplittableRandom(5);
        for (int k = 0; k < train.length; k++) train[k] = r.nextDouble() < 0.9;
        MatrixFactorization mf = MatrixFactorization.fit(data, train, MovieLensWorld.settings(1));
        double[] movieSum = new double[data.movies().size()], movieN = new double[data.movies().size()];
        for (int k = 0; k < data.size(); k++) {
            if (!train[k]) continue;
            movieSum[data.movie(k)] += data.rating(k);
            movieN[data.movie(k)]++;
        }
        double seMf = 0, seMean = 0, seMovie = 0;
        int n = 0;
        for (int k = 0; k < data.size(); k++) {
            if (train[k]) continue;
            double y = data.rating(k);
            int m = data.movie(k);
            double movieMean = (movieSum[m] + 5 * mf.mean()) / (movieN[m] + 5);
            seMf += sq(y - mf.predict(data.user(k), m));
            seMean += sq(y - mf.mean());
            seMovie += sq(y - movieMean);
            n++;
        }
        double rmseMf = Math.sqrt(seMf / n), rmseMean = Math.sqrt(seMean / n), rmseMovie = Math.sqrt(seMovie / n);
        System.out.printf("held-out RMSE (n=%d): MF %.4f, per-movie mean %.4f, global mean %.4f%n", n, rmseMf, rmseMovie, rmseMean);
        assertThat(rmseMf).isLessThan(0.92 * rmseMean);
        assertThat(rmseMf).isLessThan(rmseMovie - 0.02);
    }

    @Test
    void relevanceFollowsWhatUsersRated() {
        Assumptions.assumeTrue(Files.isRegularFile(ML.resolve("ratings.csv")), "dataset absent: " + ML.toAbsolutePath());
        MovieLensWorld world = new MovieLensWorld(ML, 500, 100, 42);
        assertThat(world.items()).hasSize(500);
        assertThat(world.users()).hasSize(100);
        assertThat(world.dimension()).isEqualTo(MovieLensWorld.FACTORS);
        Item toyStory = world.items().stream().filter(i -> i.id().equals("m1")).findFirst().orElseThrow();
        assertThat(toyStory.title()).isEqualTo("Toy Story (1995)");
        assertThat(toyStory.attribute("category")).isEqualTo("Adventure");
        assertThat(toyStory.attributeValues("tags")).contains("Animation", "Children");
        assertThat(toyStory.numberAttribute("popularity")).isGreaterThan(100);
        assertThat(toyStory.vector()).hasSize(MovieLensWorld.FACTORS);
        ClickModel truth = world.clickModel(1.0);
        assertThat(truth.examination(2)).isEqualTo(0.5);
        // every sampled user's loved movies (>= 4.5 stars) are more relevant to her than the ones she disliked (<= 2)
        MovieLensRatings data = world.ratings();
        java.util.Map<String, Item> byId = new java.util.HashMap<>();
        for (Item i : world.items()) byId.put(i.id(), i);
        java.util.Set<String> simulated = new java.util.HashSet<>();
        world.users().forEach(u -> simulated.add(u.id()));
        int[] ids = data.userIds();
        double loved = 0, disliked = 0;
        int nl = 0, nd = 0;
        for (int k = 0; k < data.size(); k++) {
            String user = "u" + ids[data.user(k)];
            if (!simulated.contains(user)) continue;
            Item item = byId.get("m" + data.movies().get(data.movie(k)).id());
            double rel = truth.relevance(user, item);
            assertThat(rel).isBetween(0.0, MovieLensWorld.MAX_RELEVANCE);
            if (data.rating(k) >= 4.5) { loved += rel; nl++; }
            if (data.rating(k) <= 2.0) { disliked += rel; nd++; }
        }
        assertThat(nl).isGreaterThan(500);
        assertThat(nd).isGreaterThan(100);
        assertThat(loved / nl).isGreaterThan(disliked / nd + 0.2);
        assertThat(MovieLensWorld.relevanceOfStars(4.0)).isEqualTo(0.4, org.assertj.core.api.Assertions.within(1e-12));
    }

    @Test
    void csvFieldsHonourQuotes() {
        assertThat(MovieLensRatings.csvFields("11,\"American President, The (1995)\",Comedy|Drama|Romance"))
                .containsExactly("11", "American President, The (1995)", "Comedy|Drama|Romance");
        assertThat(MovieLensRatings.csvFields("5,\"Say \"\"Hi\"\"\",Drama")).containsExactly("5", "Say \"Hi\"", "Drama");
    }

    private static double sq(double x) {
        return x * x;
    }
}
