/**
 * Off-policy estimators: what a target (candidate) ranking policy would have earned, from logs of another.
 *
 * <h2>Input</h2>
 * One {@link io.ranker.replay.ope.ImpressionSample} per logged list, holding one
 * {@link io.ranker.replay.ope.SlotSample} per shown (item, position): reward, logging propensity (the marginal
 * P(item at position) the serving explorer logged), the target's marginal for the same pair, and optionally a
 * reward-model prediction (DR family) and prefix probabilities (list-level RIPS).
 * {@link io.ranker.replay.ope.ImpressionRecordSamples} builds them from {@code ImpressionRecord}s plus the
 * replay's run of the candidate over the logged candidates; {@code io.ranker.replay.obd} builds them from Open
 * Bandit Dataset CSV rows.
 *
 * <h2>Estimators</h2>
 * Defined in {@link io.ranker.replay.ope.OffPolicyEstimators}: {@code ips}, {@code snips}, {@code dm}, {@code dr},
 * {@code switch_dr} (item-position level: unbiased under the position-based assumption that a slot's reward
 * depends only on its item and position) and {@code rips} (list level, cascade assumption: the reward at k depends
 * on positions 1..k only). The estimand is mean reward per shown slot.
 *
 * <h2>Uncertainty</h2>
 * 95% percentile intervals from a Poisson bootstrap over impressions (one pass, bounded memory, seeded). The
 * reward model is held fixed inside the bootstrap, so the DM interval reflects only sampling noise of the logged
 * contexts, not the model's own error (which is why DM's interval is narrow; DR's interval is the honest one).
 * Diagnostics: effective sample size, maximum weight, mean weight (about 1 when the target stays on logged
 * support), clipped and switched shares, and support coverage with a warning below a threshold.
 *
 * <h2>Bad input</h2>
 * A logging propensity outside (0, 1] (or a target propensity outside [0, 1], or a non-finite reward) is refused
 * with {@link io.ranker.replay.ope.InvalidPropensityException}, naming the 0-based record index and its id.
 */
package io.ranker.replay.ope;
