package io.ranker.replay.obd;

/**
 * One row of an Open Bandit Dataset log: an item shown at a position, with its click and logged propensity.
 *
 * @param line         1-based line number in the CSV (the header is line 1), for error messages
 * @param itemId       0-based item index
 * @param position     1-based position (1 left, 2 centre, 3 right in ZOZOTOWN)
 * @param click        0 or 1
 * @param propensity   P_log(item at position), the CSV's {@code propensity_score}
 * @param userFeatures the user feature columns (hashed categories), in column order
 * @param affinity     user-item affinity per item ({@code user-item_affinity_<item>}), length = item count
 */
public record ObdRow(long line, int itemId, int position, int click, double propensity, String[] userFeatures,
                     double[] affinity) {
}
