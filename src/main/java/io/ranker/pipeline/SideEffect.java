package io.ranker.pipeline;

import io.ranker.core.RankResult;

/**
 * Something a served request leaves behind once its list is decided (X product-mixer's {@code SideEffect}): the
 * impression appended to the log, the items' impression counters, the user's seen history. The pipeline runs its
 * side effects in the order it lists them, after the list is decided and before the response returns.
 *
 * <p>Contract: a side effect never fails the request. Whatever it throws is caught; a failure (thrown, or reported
 * by returning false) is counted in {@code ranker_side_effect_failures_total{surface,effect}} and, when
 * {@link #degradation()} names one, added to the response's {@code degraded}. Previews, dry runs, replay and the
 * simulator's truth computations run none.
 */
public interface SideEffect {
    /** A short stable name: the {@code effect} tag of the failure counter and the {@code stage} of its timing. */
    String name();

    /** @return false when it failed without throwing (say, the impression log refused the record) */
    boolean apply(RankResult result) throws Exception;

    /** What {@code degraded} says when this side effect fails, or null when the contract names nothing (counted only). */
    default String degradation() {
        return null;
    }
}
