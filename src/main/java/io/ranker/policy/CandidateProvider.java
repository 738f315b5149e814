package io.ranker.policy;

import io.ranker.core.Candidate;
import io.ranker.core.RankRequest;

import java.util.List;

/**
 * The part of the ranking pipeline before policy: retrieval, features and scoring for a request, with no policy,
 * no exploration and no impression logged. {@code RankingPipeline} implements it so that policy previews rank
 * the same candidates as live traffic.
 */
@FunctionalInterface
public interface CandidateProvider {
    /** @return fresh candidates (not shared with any other request), each with its score set, in any order */
    List<Candidate> scoredCandidates(RankRequest request) throws Exception;
}
