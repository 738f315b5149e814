package io.ranker.simulation;

import io.ranker.core.Item;

/**
 * The known truth of a simulated world under the position-based click model: a shown slot at position k is
 * clicked with probability examination(k) x relevance(user, item), independently of the other slots.
 */
public interface ClickModel {
    /** Probability that position {@code position} (1-based) is examined. */
    double examination(int position);

    /** Probability that the user clicks the item once she examines it. */
    double relevance(String userId, Item item);

    default double clickProbability(String userId, Item item, int position) {
        return examination(position) * relevance(userId, item);
    }
}
