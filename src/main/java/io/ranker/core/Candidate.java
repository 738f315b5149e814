package io.ranker.core;


import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One candidate as it moves through a single request. Mutable on purpose: each stage writes its own
 * fields (retrieval hits, features, model score, policy trace) and later stages and explain read them.
 * A candidate lives for one request only.
 */
public final class Candidate {
    private final String id;
    private final Item item;
    private final Map<String, SourceHit> hits = new LinkedHashMap<>();
    private double retrievalScore;
    private double modelScore = Double.NaN;
    private double score;
    private float[] features;
    private Map<String, Double> shadowScores = Map.of();
    private final List<RuleEffect> trace = new ArrayList<>(2);

    public Candidate(String id, Item item) {
        this.id = id;
        this.item = item;
    }

    public String id() { return id; }

    /** The catalog item; null only for a caller-supplied id the catalog does not know. */
    public Item item() { return item; }

    public Map<String, SourceHit> hits() { return Collections.unmodifiableMap(hits); }

    public void addHit(SourceHit hit) { hits.putIfAbsent(hit.source(), hit); }

    /** Fused retrieval score (see the pipeline's fusion); the order used when no model is configured. */
    public double retrievalScore() { return retrievalScore; }

    public void setRetrievalScore(double s) { this.retrievalScore = s; }

    /** The active model's score, NaN until (or unless) a model scored this candidate. */
    public double modelScore() { return modelScore; }

    public void setModelScore(double s) { this.modelScore = s; }

    /** The score later stages order by: retrieval, then model, then as adjusted by policy rules. */
    public double score() { return score; }

    public void setScore(double s) { this.score = s; }

    /** Feature values in the feature schema's order; NaN means missing. Null until hydrated. */
    public float[] features() { return features; }

    public void setFeatures(float[] f) { this.features = f; }

    public Map<String, Double> shadowScores() { return shadowScores; }

    public void setShadowScores(Map<String, Double> s) { this.shadowScores = s; }

    public List<RuleEffect> trace() { return trace; }

    public void addEffect(RuleEffect e) { trace.add(e); }

    @Override
    public String toString() {
        return "Candidate[" + id + ", score=" + score + "]";
    }
}
