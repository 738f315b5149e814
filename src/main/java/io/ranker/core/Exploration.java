package io.ranker.core;


import java.util.List;
import java.util.Set;

/**
 * The shown list and its propensities.
 *
 * @param shown      candidates in shown order (position = index + 1)
 * @param propensity per position: P(this item at this position | request) under the whole policy
 * @param choiceProb per position: the sequential choice probability the sampler used (Plackett-Luce), 1 when
 *                   deterministic; their product is the realized list's probability within the explore branch
 * @param explored   whether the stochastic branch served this list
 * @param mcSamples  number of Monte Carlo samples behind {@code propensity} (0 when exact)
 * @param notExplorable over-exposed candidates kept out of sampling (logged: replay needs the same set)
 * @param explorer   the name of the explorer that decided, as it decided (an explorer whose configuration can change
 *                   between requests names itself here, so the log never reads it in a separate call); null when
 *                   the explorer left it to its {@link Explorer#name()}
 */
public record Exploration(List<Candidate> shown, double[] propensity, double[] choiceProb, boolean explored,
                          int mcSamples, double mcStdError, Set<String> notExplorable, String explorer) {

    public Exploration {
        notExplorable = notExplorable == null ? Set.of() : Set.copyOf(notExplorable);
    }

    /** Nothing kept out of sampling. */
    public Exploration(List<Candidate> shown, double[] propensity, double[] choiceProb, boolean explored,
                       int mcSamples, double mcStdError) {
        this(shown, propensity, choiceProb, explored, mcSamples, mcStdError, Set.of(), null);
    }

    public Exploration withNotExplorable(Set<String> ids) {
        return new Exploration(shown, propensity, choiceProb, explored, mcSamples, mcStdError, ids, explorer);
    }

    public Exploration withExplorer(String name) {
        return new Exploration(shown, propensity, choiceProb, explored, mcSamples, mcStdError, notExplorable, name);
    }
}
