package io.ranker.app;

import io.ranker.policy.CandidateProvider;
import io.ranker.policy.KnownAttributes;
import io.ranker.policy.KnownSurfaces;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import java.util.Set;

/** What the policy stage needs from the rest of the service: scored candidates for previews, catalog attributes. */
@ApplicationScoped
public class StageBeans {

    @Produces
    @ApplicationScoped
    CandidateProvider candidateProvider(RankerRuntime runtime) {
        return request -> runtime.pipeline().retrieveAndScore(request).candidates();
    }

    /** Empty until the index is open, which turns the unknown-attribute check off rather than rejecting every rule. */
    @Produces
    @ApplicationScoped
    KnownAttributes knownAttributes(RankerRuntime runtime) {
        return () -> runtime.index() == null ? Set.of() : Set.copyOf(runtime.index().attributeTypes().keySet());
    }

    /** Empty until the pipelines are loaded, which turns the unknown-surface check off rather than rejecting every rule set. */
    @Produces
    @ApplicationScoped
    KnownSurfaces knownSurfaces(RankerRuntime runtime) {
        return () -> runtime.surfaces() == null ? Set.of() : Set.copyOf(runtime.surfaces().all().keySet());
    }
}
