package io.ranker.demo;

import io.ranker.app.StartupSeeding;
import io.ranker.catalog.CatalogIndex;
import io.ranker.catalog.CatalogSettings;
import io.ranker.catalog.changelog.CatalogReplication;
import io.ranker.core.Item;
import io.ranker.features.FeatureSchema;
import io.ranker.features.FeatureStore;
import io.ranker.pipeline.RankingPipeline;
import io.ranker.progress.Progress;
import io.ranker.scoring.ModelRegistry;
import io.ranker.scoring.ModelRelease;
import io.ranker.scoring.ScoringService;
import io.ranker.scoring.ScoringSettings;
import io.ranker.state.OncePerCluster;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.ranker.training.TrainingSet;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The demo on an empty data directory: a generated catalog (once, marked by {@code demo-seeded}), the demo
 * users' features (every start: the in-memory store is empty after a restart), and a model trained on demo
 * interactions drawn through the real pipeline from the known click model, promoted on every surface without
 * one. Off when {@code ranking.catalog.demo-items} is 0. With the shared catalog ({@code ranking.state.store=redis})
 * the demo catalog is written once per cluster, through the changelog, by whichever replica starts first.
 */
@ApplicationScoped
public class DemoSeeding implements StartupSeeding {
    private static final Logger LOG = Logger.getLogger(DemoSeeding.class);
    public static final long DEMO_SEED = 42;
    public static final int DEMO_USERS = 1000;
    static final String DEMO_MARKER = "demo-seeded";

    private final CatalogSettings catalogSettings;
    private final FeatureSchema featureSchema;
    private final FeatureStore featureStore;
    private final ScoringService scoring;
    private final ScoringSettings scoringSettings;
    private final CatalogReplication replication;
    private final OncePerCluster once;
    /** Set by seedData when this data directory holds the demo; read by seedModels. */
    private volatile List<DemoUsers.DemoUser> demoUsers;

    public DemoSeeding(CatalogSettings catalogSettings, FeatureSchema featureSchema, FeatureStore featureStore,
                       ScoringService scoring, ScoringSettings scoringSettings, CatalogReplication replication,
                       Instance<OncePerCluster> once) {
        this.replication = replication;
        this.once = once.isResolvable() ? once.get() : OncePerCluster.LOCAL;
        this.catalogSettings = catalogSettings;
        this.featureSchema = featureSchema;
        this.featureStore = featureStore;
        this.scoring = scoring;
        this.scoringSettings = scoringSettings;
    }

    @Override
    public void seedData(CatalogIndex index, Path dataDir) throws IOException {
        boolean demo;
        if (replication.enabled()) {
            demo = catalogSettings.demoItems() > 0 && replication.seedDemoOnce(this::demoItems);
        } else {
            demo = Files.exists(dataDir.resolve(DEMO_MARKER));
            if (index.size() == 0 && catalogSettings.demoItems() > 0) {
                seedCatalog(index, dataDir);
                demo = true;
            }
        }
        if (!demo) return;
        demoUsers = DemoUsers.generate(new DemoCatalog(catalogSettings.vectorDimension(), DEMO_SEED), DEMO_USERS, DEMO_SEED);
        // The demo users' taste vectors go to the feature store too (user_vector), where the feed's vector source
        // reads them.
        DemoFeatureSeeder.seedIfMissing(List.copyOf(index.items()), demoUsers, DEMO_SEED, featureSchema, featureStore);
    }

    private void seedCatalog(CatalogIndex index, Path dataDir) throws IOException {
        long t = System.nanoTime();
        List<Item> items = demoItems();
        // first start of a large demo catalog takes minutes: a log line every 10 s with the rate and an ETA
        Progress progress = Progress.logged("seeding the demo catalog", "items", items.size(), LOG::info);
        for (int from = 0; from < items.size(); from += 5_000) {
            int to = Math.min(items.size(), from + 5_000);
            index.upsert(items.subList(from, to));
            progress.update(to, to);
        }
        index.refresh();
        progress.finish();
        Files.writeString(dataDir.resolve(DEMO_MARKER), "seed=" + DEMO_SEED + " items=" + items.size() + "\n");
        LOG.infof("seeded the demo catalog: %d items in %d ms", items.size(), (System.nanoTime() - t) / 1_000_000);
    }

    private List<Item> demoItems() {
        return new DemoCatalog(catalogSettings.vectorDimension(), DEMO_SEED).generate(catalogSettings.demoItems(), DEMO_SEED);
    }

    /**
     * For each surface without an active model, trains the demo model (once, deterministic) on interactions
     * drawn through the pipeline and promotes it, audited as {@code system:first-start}. With the shared state store
     * this happens once per cluster: one replica trains and promotes, the others wait for the routing to name it
     * and then load the same model.
     */
    @Override
    public synchronized void seedModels(RankingPipeline pipeline, Set<String> surfaces, List<String> featureNames) {
        List<DemoUsers.DemoUser> users = demoUsers;
        if (users == null) return;
        DemoClickModel truth = new DemoClickModel(users, 1.0);
        ModelRelease release = scoring.release();
        once.run("demo-model", () -> {
            try {
                release.sync(); // another replica's promotion
            } catch (RuntimeException e) {
                return false;
            }
            return surfaces.stream().allMatch(s -> release.router().active(s) != null);
        }, () -> promoteDemoModel(release, scoringSettings.demoRounds(), surfaces,
                () -> DemoInteractions.generate(pipeline, users, truth, featureNames, scoringSettings.demoRequests(), DEMO_SEED)));
    }

    /**
     * Trains a model on {@code demoData} (only when some surface lacks an active model) and promotes it on those.
     *
     * @return the surfaces that got the demo model
     */
    public static List<String> promoteDemoModel(ModelRelease release, int rounds, Collection<String> surfaces,
                                                Supplier<TrainingSet> demoData) {
        List<String> missing = new ArrayList<>();
        for (String s : surfaces) if (release.router().active(s) == null) missing.add(s);
        if (missing.isEmpty()) return missing;
        ModelRegistry.RegisteredModel model = new DemoModelTrainer(release.registry(), rounds).train(demoData);
        release.audit().record("system:first-start", "upload", null, model.version(), null, "demo model");
        for (String s : missing) release.promote("system:first-start", s, model.version());
        LOG.infof("demo model %s trained and promoted on %s", model.version(), missing);
        return missing;
    }
}
