package io.ranker.replay;

import java.util.List;

/** One re-run of scoring, policy and explorer over an impression's logged candidates ({@link ReplayRun#run}). */
final class Rerun {
    List<String> shownIds;
    /** What the policy alone would show (the mixture's deterministic branch). */
    List<String> deterministicIds;
    MarginalsView view;
    double[] prefix;
}
