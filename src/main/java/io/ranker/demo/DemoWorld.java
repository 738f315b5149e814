package io.ranker.demo;

import io.ranker.simulation.ClickModel;
import io.ranker.simulation.SimulatedWorld;
import io.ranker.core.Item;
import io.ranker.features.FeatureSchema;
import io.ranker.features.FeatureStore;

import java.util.List;

/**
 * The generated demo world: the demo catalog, demo users with two favourite categories each, the demo's seeded
 * features and the {@link DemoClickModel} truth. Deterministic for {@link #SEED}.
 */
public final class DemoWorld implements SimulatedWorld {
    public static final long SEED = 42;
    public static final int DIMENSION = 32;

    /** Small candidate sets: 8 nearest items to the user's taste vector plus 4 popular ones. */
    static final String PIPELINE_YAML = """
            surface: sim
            description: Simulator feed. Small candidate sets so explorer propensities are exact.
            limit: {default: 5, max: 10}
            sources:
              - {name: vector, type: vector, vector: user, limit: 8, efSearch: 64}
              - {name: popular, type: popular, by: popularity, limit: 4, weight: 2.0}
            filters:
              - {attribute: in_stock, values: ["true"]}
            minCandidates: 5
            fusion: {type: rrf, k: 60}
            budgets: {retrievalMs: 5000, featuresMs: 5000, scoringMs: 5000, totalMs: 20000}
            """;

    static final String POLICY_YAML = """
            surface: sim
            description: Simulator policy.
            rules:
              - id: drop-out-of-stock
                type: filter
                when: {attribute: in_stock, eq: false}
              - id: bury-low-rating
                type: bury
                when: {attribute: rating, range: {max: 3.0}}
                multiply: 0.8
            """;

    private final List<Item> items;
    private final List<DemoUsers.DemoUser> demoUsers;
    private final List<User> users;

    public DemoWorld(int itemCount, int userCount) {
        DemoCatalog catalog = new DemoCatalog(DIMENSION, SEED);
        this.items = catalog.generate(itemCount, SEED);
        this.demoUsers = DemoUsers.generate(catalog, userCount, SEED);
        this.users = demoUsers.stream().map(u -> new User(u.id(), u.vector())).toList();
    }

    @Override
    public String description() {
        return "generated demo catalog (" + items.size() + " items, " + users.size() + " users)";
    }

    @Override
    public int dimension() { return DIMENSION; }

    @Override
    public List<Item> items() { return items; }

    @Override
    public List<User> users() { return users; }

    @Override
    public void seedFeatures(FeatureSchema schema, FeatureStore store) {
        DemoFeatureSeeder.seed(items, demoUsers, SEED, schema, store);
    }

    @Override
    public ClickModel clickModel(double positionBias) {
        return new DemoClickModel(demoUsers, positionBias);
    }

    @Override
    public String pipelineYaml() { return PIPELINE_YAML; }

    @Override
    public String policyYaml() { return POLICY_YAML; }
}
