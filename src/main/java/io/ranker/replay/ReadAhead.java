package io.ranker.replay;

import io.ranker.core.Candidate;
import io.ranker.core.Item;
import io.ranker.core.RankingContext;
import io.ranker.core.Scorer;
import io.ranker.core.SourceHit;
import io.ranker.logging.ImpressionRecord;
import io.ranker.logging.LogEntry;
import io.ranker.scoring.XgboostScorer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Replay's read-ahead window: records read ahead of processing, and the candidate sets of their replayable
 * impressions scored with one model call per scorer. A model call has a fixed cost (XGBoost's inplace prediction:
 * ~65 us) that a single 100-candidate set pays almost entirely. Scores do not depend on the order or on the seen
 * history, and a row's prediction does not depend on the other rows of the batch, so the replay's result is the
 * same bit for bit.
 */
final class ReadAhead {
    /** A record read ahead: feedback, an impression, or a reason to skip it. */
    static final class Entry {
        LogEntry feedback;
        ImpressionRecord record;
        String skip;
        /** Candidates rebuilt for the ahead-of-time scoring, handed to the first re-rank. */
        List<Candidate> candidates;
        /** Scores computed ahead per scorer (absent: the pipeline scores the re-rank itself). */
        Map<Scorer, double[]> scores;

        /** The candidates for a re-rank: the ones rebuilt ahead the first time, fresh ones after (the policy changes them). */
        List<Candidate> takeCandidates() {
            List<Candidate> c = candidates != null ? candidates : rebuild(record);
            candidates = null;
            return c;
        }

        /** {@code scorer} itself, or its scores for this impression when they were computed ahead. */
        Scorer scorer(Scorer scorer) {
            double[] s = scorer == null || scores == null ? null : scores.get(scorer);
            return s == null ? scorer : new Precomputed(scorer, s);
        }
    }

    /** A model's scores of one candidate set, computed ahead in a batch: served to the pipeline as that model's. */
    private record Precomputed(Scorer model, double[] scores) implements Scorer {
        @Override
        public String version() {
            return model.version();
        }

        @Override
        public double[] score(RankingContext ctx, List<Candidate> candidates) {
            if (candidates.size() != scores.length) {
                throw new IllegalStateException(scores.length + " scores computed ahead for " + candidates.size() + " candidates");
            }
            return scores;
        }
    }

    private ReadAhead() {
    }

    /**
     * Scores ahead the candidate sets of the window's impressions that will be re-ranked.
     *
     * @param scorersFor the models that will score an impression (logged, candidate); empty when it will not be
     *                   re-ranked; may throw: the impression is then left to score itself, and meets the same problem
     */
    static void score(List<Entry> window, Function<ImpressionRecord, List<Scorer>> scorersFor) {
        Map<Scorer, List<Entry>> byScorer = new IdentityHashMap<>();
        for (Entry p : window) {
            if (p.record == null) continue;
            try {
                for (Scorer sc : scorersFor.apply(p.record)) {
                    // only a model whose scores depend on the features alone can be batched across requests
                    if (sc instanceof XgboostScorer) byScorer.computeIfAbsent(sc, k -> new ArrayList<>()).add(p);
                }
            } catch (RuntimeException e) {
                // not scored ahead: the replay meets (and reports) the same problem when it gets there
            }
        }
        for (Map.Entry<Scorer, List<Entry>> g : byScorer.entrySet()) {
            List<Candidate> all = new ArrayList<>();
            for (Entry p : g.getValue()) {
                if (p.candidates == null) p.candidates = rebuild(p.record);
                all.addAll(p.candidates);
            }
            double[] scores;
            try {
                scores = g.getKey().score(null, all);
            } catch (Exception e) {
                continue; // each impression scores itself, failures are counted per impression as before
            }
            if (scores.length != all.size()) continue;
            int from = 0;
            for (Entry p : g.getValue()) {
                int n = p.candidates.size();
                if (p.scores == null) p.scores = new IdentityHashMap<>(2);
                p.scores.put(g.getKey(), Arrays.copyOfRange(scores, from, from + n));
                from += n;
            }
        }
    }

    /** The logged candidate set as the pipeline's candidates: features as served, logged attributes, retrieval hits. */
    static List<Candidate> rebuild(ImpressionRecord r) {
        List<Candidate> out = new ArrayList<>(r.candidates().size());
        for (ImpressionRecord.LoggedCandidate lc : r.candidates()) {
            Map<String, Object> attrs = lc.attributes();
            if (attrs != null && attrs.containsValue(null)) {
                attrs = new HashMap<>(attrs);
                attrs.values().removeIf(v -> v == null);
            }
            Candidate c = new Candidate(lc.id(), new Item(lc.id(), null, null, attrs, null));
            c.setRetrievalScore(lc.retrievalScore());
            c.setScore(lc.retrievalScore());
            c.setFeatures(lc.features());
            if (lc.sources() != null) {
                lc.sources().forEach((name, v) -> {
                    if (v != null && v.length >= 2) c.addHit(new SourceHit(name, v[0], (int) v[1]));
                });
            }
            out.add(c);
        }
        return out;
    }
}
