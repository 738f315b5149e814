package io.ranker.policy;

import java.util.Set;

/**
 * The surfaces that have a pipeline, for the unknown-surface check of rule sets (a CDI bean in the service, a
 * directory listing of {@code <config-dir>/pipelines} in the commands). Read at every validation, since pipelines
 * come and go with their files. An empty set turns the check off.
 */
@FunctionalInterface
public interface KnownSurfaces {
    Set<String> names();
}
