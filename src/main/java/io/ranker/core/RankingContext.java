package io.ranker.core;


import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one request carries through the pipeline: the caller's request, the seed, what each stage
 * decided (versions, degradations) and its timings. Lives for one request only; configuration objects
 * (pipelines, models, policies) live for one deployment and are shared.
 */
public final class RankingContext {
    private final RankRequest request;
    private final String impressionId;
    private final long seed;
    private final long startNanos = System.nanoTime();
    private final List<String> degraded = new ArrayList<>(2);
    private final Map<String, Long> stageNanos = new LinkedHashMap<>();
    private Versions versions = Versions.NONE;
    private String experimentArm;
    private Map<String, FeatureGroupHealth> featureHealth = Map.of();

    public RankingContext(RankRequest request, String impressionId, long seed) {
        this.request = request;
        this.impressionId = impressionId;
        this.seed = seed;
    }

    public RankRequest request() { return request; }

    public String impressionId() { return impressionId; }

    /** Seed for every random choice in this request, derived from the impression id so replay reproduces it. */
    public long seed() { return seed; }

    public long startNanos() { return startNanos; }

    /** Names of degradations ("retrieval.vector:timeout", "features:redis-unavailable", ...), in the order they happened. */
    public List<String> degraded() { return degraded; }

    public void degrade(String what) {
        if (!degraded.contains(what)) degraded.add(what);
    }

    public Map<String, Long> stageNanos() { return stageNanos; }

    public void recordStage(String stage, long nanos) { stageNanos.merge(stage, nanos, Long::sum); }

    /** Versions this request was served with, each set by the stage that owns it. */
    public Versions versions() { return versions; }

    public void setPipelineVersion(String v) { versions = versions.withPipeline(v); }

    public void setFeaturesVersion(String v) { versions = versions.withFeatures(v); }

    public void setModelVersion(String v) { versions = versions.withModel(v); }

    public void setPolicyVersion(String v) { versions = versions.withPolicy(v); }

    /** The name of the explorer that decided the shown list. */
    public void setExplorer(String name) { versions = versions.withExplorer(name); }

    public String experimentArm() { return experimentArm; }

    public void setExperimentArm(String arm) { this.experimentArm = arm; }

    /** Per feature group: age of the oldest value used and share missing, as the hydrator saw them. */
    public Map<String, FeatureGroupHealth> featureHealth() { return featureHealth; }

    public void setFeatureHealth(Map<String, FeatureGroupHealth> health) { this.featureHealth = health; }
}
