package io.ranker.training;

import java.util.List;

/**
 * Position bias (relative examination probability per position) estimated from exploration logs with the logged
 * propensities. For position k, S_k = sum over logged lists of click / P_log(item at k) for the item shown at k.
 * Its expectation per request is exam(k) * sum of the relevance of every candidate the logging policy could put
 * at k, so when the logging policy can put every candidate at every position (a Plackett-Luce mixture over the
 * whole candidate set), exam(k) / exam(1) = S_k / S_1: the item mix at each position is undone by the weights.
 * Without exploration (every propensity 1) the estimate is confounded with the ranking, and
 * {@link #explored()} says so.
 *
 * <p>Only for logs whose every position is randomised over the same candidates (the simulator's): a position held
 * by a rule (a protected first position, a slot, a pin) holds one item, so it compares one item's relevance with a
 * whole pool's and the ratio means nothing (issue 19). Logs of a configured surface go through
 * {@link io.ranker.replay.ope.ExaminationHarvest}, which {@code train} uses whenever it can replay the log.
 *
 * @param relative  exam(k) / exam(1) for k = 1..positions, floored at {@link #FLOOR} (index 0 = position 1)
 * @param explored  share of logged lists the explore branch drew (the record's {@code explored} flag)
 */
public record ExaminationEstimate(double[] relative, double explored) {
    /** Lower bound on an estimated examination ratio: bounds the inverse weights at 1/FLOOR. */
    public static final double FLOOR = 0.05;

    public static ExaminationEstimate fromLogs(List<LoggedLists.LoggedList> lists) {
        int positions = 0;
        for (LoggedLists.LoggedList l : lists) positions = Math.max(positions, l.size());
        double[] s = new double[positions];
        long explored = 0;
        for (LoggedLists.LoggedList l : lists) {
            for (int i = 0; i < l.size(); i++) {
                double p = l.record().items().get(i).propensity();
                if (l.clicks()[i] > 0 && p > 0) s[i] += 1.0 / p;
            }
            // not "any propensity below 1": in a mixture every list has some, explored or not
            if (l.record().explored()) explored++;
        }
        double[] rel = new double[positions];
        for (int k = 0; k < positions; k++) {
            double r = s[0] > 0 ? s[k] / s[0] : 1.0;
            rel[k] = Math.max(FLOOR, Math.min(1.0, r));
        }
        return new ExaminationEstimate(rel, lists.isEmpty() ? 0 : (double) explored / lists.size());
    }

    /** exam(position) / exam(1); 1-based position. */
    public double at(int position) {
        if (relative.length == 0) return 1.0;
        return relative[Math.min(position, relative.length) - 1];
    }
}
