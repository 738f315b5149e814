package io.ranker.explore;

import java.util.function.Function;

/**
 * One exploration type, declared next to the explorer it builds: its name in a pipeline's {@code explorer:}
 * section ({@code type:}) and how it builds the explore branch from the section. The settings themselves are
 * one record for every type ({@link ExplorerConfig}: epsilon, protected positions, exposure cap and Monte Carlo
 * settings are common, and replay requests and logs carry that record), so a type reads the fields it uses.
 * Registered in {@link ExplorerTypes}; the mixture with the deterministic list ({@code epsilon}) is added by
 * {@link ExplorerFactory}, the same for every type.
 *
 * @param build the explore branch: an immutable sampler shared by all requests of the surface
 */
public record ExplorerType(String name, Function<ExplorerConfig, StochasticExplorer> build) {
}
