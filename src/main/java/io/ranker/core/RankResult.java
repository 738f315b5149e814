package io.ranker.core;


import java.util.List;

/** What the pipeline decided for one request; the API layer renders it, the impression log records it. */
public record RankResult(RankingContext context, Exploration exploration, List<Candidate> removed,
                         List<String> featureNames, int candidateCount) {
}
