package io.ranker.features;

import io.ranker.demo.DemoFeatureSeeder;
import io.ranker.demo.DemoCatalog;
import io.ranker.demo.DemoUsers;
import io.ranker.core.Item;
import io.ranker.core.Candidate;
import io.ranker.core.RankRequest;
import io.ranker.core.RankingContext;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class DemoFeatureSeederTest {

    static List<Item> catalog(int n) {
        return new DemoCatalog(16, 42).generate(n, 42);
    }

    /** A small hand-made catalog (independent of the demo generator). */
    static List<Item> handMade(int n) {
        Random r = new Random(5);
        String[] cats = {"shoes", "books", "garden", "audio"};
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] vec = new float[8];
            for (int j = 0; j < 8; j++) vec[j] = (float) r.nextGaussian();
            items.add(new Item("item-" + i, "title " + i, "", Map.of("category", cats[i % 4], "brand", "b" + (i % 7),
                    "price", 10.0 + r.nextInt(200), "in_stock", i % 10 != 0, "sponsored", i % 13 == 0, "rating", 1 + 4 * r.nextDouble(),
                    "created_at", (double) (System.currentTimeMillis() - r.nextInt(1_000_000_000))), vec));
        }
        return items;
    }

    @Test
    void seedsDeterministicallyAndFeaturesAreFilledForDemoUsers() throws Exception {
        FeatureSchema schema = FeatureSchemaTest.demo();
        List<Item> items = handMade(400);
        InMemoryFeatureStore a = new InMemoryFeatureStore();
        InMemoryFeatureStore b = new InMemoryFeatureStore();
        InMemoryFeatureStore c = new InMemoryFeatureStore();
        assertThat(DemoFeatureSeeder.seed(items, 50, 42, schema, a)).isEqualTo(new DemoFeatureSeeder.Summary(400, 50));
        DemoFeatureSeeder.seed(items, 50, 42, schema, b);
        DemoFeatureSeeder.seed(items, 50, 43, schema, c);
        float[][] fa = hydrate(schema, a, items, DemoFeatureSeeder.userId(7));
        float[][] fb = hydrate(schema, b, items, DemoFeatureSeeder.userId(7));
        float[][] fc = hydrate(schema, c, items, DemoFeatureSeeder.userId(7));
        int ctrRt = schema.feature("ctr_rt").column();
        int age = schema.feature("age_days").column();
        for (int i = 0; i < items.size(); i++) {
            fa[i][age] = fb[i][age] = fc[i][age] = 0; // computed from the clock between calls
        }
        assertThat(java.util.Arrays.deepEquals(fa, fb)).as("same seed, same features").isTrue();
        assertThat(java.util.Arrays.deepEquals(fa, fc)).as("other seed, other features").isFalse();
        int pop = schema.feature("popularity").column();
        int cos = schema.feature("user_item_cosine").column();
        int aff = schema.feature("user_category_affinity").column();
        int ratio = schema.feature("price_to_user_mean").column();
        for (float[] row : fa) {
            assertThat(row[pop]).isPositive();
            assertThat(row[cos]).isBetween(-1f, 1f);
            assertThat(row[aff]).isBetween(0f, 1f);
            assertThat(row[ratio]).isPositive();
            assertThat(row[ctrRt]).isEqualTo(0.03f);
        }
    }

    /** The load tests' 100-column schema: stored item columns the seeder does not know are filled, not NaN. */
    @Test
    void fillsStoredItemColumnsItDoesNotKnow() throws Exception {
        FeatureSchema schema = FeatureSchema.load(java.nio.file.Path.of("load-tests/ranking-config/features.yaml"));
        assertThat(schema.width()).isEqualTo(100);
        List<Item> items = handMade(200);
        InMemoryFeatureStore store = new InMemoryFeatureStore();
        DemoFeatureSeeder.seed(items, 10, 42, schema, store);
        float[][] rows = hydrate(schema, store, items, DemoFeatureSeeder.userId(3));
        for (String name : List.of("x01", "x35", "x71")) {
            int col = schema.feature(name).column();
            double sum = 0, sq = 0;
            for (float[] row : rows) {
                assertThat(row[col]).as(name).isFinite();
                sum += row[col];
                sq += row[col] * row[col];
            }
            double mean = sum / rows.length;
            assertThat(sq / rows.length - mean * mean).as("%s varies across items", name).isGreaterThan(0.01);
        }
        // every stored item column holds exactly the stored value (the hydrator's one-pass spreading)
        for (int i = 0; i < items.size(); i += 17) {
            StoredFeatures stored = FeatureCodec.decode(store.get(List.of(store.keys().item(items.get(i).id()))).get()[0]);
            for (FeatureSpec f : schema.columns(FeatureGroup.ITEM)) {
                if (f.source().kind() != FeatureSource.Kind.STORE) continue;
                float expected = stored.get(f.name());
                if (Float.isNaN(expected)) assertThat(rows[i][f.column()]).as(f.name()).isNaN();
                else assertThat(rows[i][f.column()]).as(f.name()).isEqualTo(expected);
            }
        }
        // the shipped schema's columns are seeded as before
        assertThat(rows[0][schema.feature("popularity").column()]).isPositive();
    }

    @Test
    void demoUsersFeaturesFollowTheirFavourites() {
        FeatureSchema schema = FeatureSchemaTest.demo();
        DemoCatalog demo = new DemoCatalog(16, 42);
        List<Item> items = demo.generate(600, 42);
        List<DemoUsers.DemoUser> users = DemoUsers.generate(demo, 30, 42);
        InMemoryFeatureStore store = new InMemoryFeatureStore();
        assertThat(DemoFeatureSeeder.seedIfMissing(items, users, 42, schema, store)).isTrue();
        assertThat(DemoFeatureSeeder.seedIfMissing(items, users, 42, schema, store)).isFalse();
        int aff = schema.feature("user_category_affinity").column();
        int cos = schema.feature("user_item_cosine").column();
        for (DemoUsers.DemoUser u : users.subList(0, 5)) {
            float[][] rows = hydrate(schema, store, items, u.id());
            double favCos = 0, otherCos = 0;
            int fav = 0, other = 0;
            for (int i = 0; i < items.size(); i++) {
                boolean isFav = u.favourites().get(0).equals(items.get(i).attribute("category"));
                if (isFav) {
                    assertThat(rows[i][aff]).isGreaterThanOrEqualTo(0.75f);
                    favCos += rows[i][cos];
                    fav++;
                } else if (!u.favourites().contains(items.get(i).attribute("category"))) {
                    assertThat(rows[i][aff]).isLessThan(0.25f);
                    otherCos += rows[i][cos];
                    other++;
                }
            }
            assertThat(favCos / fav).as("taste vector is closer to favourite items").isGreaterThan(otherCos / other + 0.1);
        }
    }

    static float[][] hydrate(FeatureSchema schema, FeatureStore store, List<Item> items, String user) {
        List<Candidate> cands = items.stream().map(i -> new Candidate(i.id(), i)).toList();
        RankingContext ctx = new RankingContext(new RankRequest("feed", user, null, null, null, null, 10, false, null), "x", 1);
        new StoreFeatureHydrator(schema, store, StoreFeatureHydrator.Settings.DEFAULT, null).hydrate(ctx, cands);
        assertThat(ctx.degraded()).isEmpty();
        return cands.stream().map(Candidate::features).toArray(float[][]::new);
    }
}
