/**
 * Exploration: the seeded stochastic ordering after the policy stage, and the exact propensities logged
 * with every impression (ARCHITECTURE.md, "Propensity semantics").
 *
 * <h2>Policy</h2>
 * <ol>
 *   <li><b>Deterministic list</b> ({@link io.ranker.explore.Frame}): fixed positions (pins, slots) hold their
 *       candidate; other positions take, in policy order, the first candidate the caps allow (a cap that no
 *       remaining candidate can satisfy is relaxed for that position). Normally the first {@code limit} of
 *       {@code ranked}.</li>
 *   <li><b>Held positions</b>: fixed positions, the first {@code protected-positions} positions, and for
 *       shuffle-top-n every position beyond n. They show the deterministic candidate in both branches:
 *       propensity 1, choice probability 1.</li>
 *   <li><b>Explore branch</b>, on a fraction epsilon of requests (decided by the seed): the other positions
 *       are drawn in increasing order, without replacement, from a pool; each draw picks among the pool
 *       candidates the caps allow at that position (counting held candidates within the cap's top K), in
 *       proportion to weight. Plackett-Luce: weight exp((score - max) / temperature) (floored at 1e-10
 *       relative, so every pool candidate keeps support), pool = the deterministic candidates at drawn
 *       positions plus the next best in policy order, {@code top-k} in all. Shuffle-top-n: uniform weights,
 *       pool = the deterministic candidates at the drawn positions (only their order changes). Over-exposed
 *       candidates are kept out of the pool unless the deterministic list has them.</li>
 * </ol>
 *
 * <h2>What is logged per shown position</h2>
 * <ul>
 *   <li>{@code propensity} = epsilon * P_explore(item at pos) + (1 - epsilon) * [deterministic list has item
 *       at pos]: 1 at held positions. P_explore is 1/|pool| in closed form for an uncapped shuffle, exact by
 *       subset dynamic programming when the pool has at most {@code exact-max-pool} candidates, exact for the
 *       first drawn position always, otherwise a Rao-Blackwellised Monte Carlo estimate with
 *       {@code mc-samples} runs of the same constrained sampler ({@code mcSamples}, {@code mcStdError} =
 *       largest standard error over the list, already multiplied by epsilon).</li>
 *   <li>{@code choiceProb}: the explore branch's sequential choice probability of the realized list (also
 *       when the deterministic branch served), so
 *       P(list) = epsilon * prod(choiceProb) + (1 - epsilon) * [list == deterministic list].</li>
 * </ul>
 *
 * <h2>Reproducibility</h2>
 * {@code seed = SeedDerivation.seedFor(impressionId)}; the list, the propensities and the Monte Carlo
 * estimate are pure functions of (ranked candidates and scores, placement, limit, explorer config, the
 * not-explorable set, seed). Replay reproduces a served list with the logged seed and not-explorable set.
 */
package io.ranker.explore;
