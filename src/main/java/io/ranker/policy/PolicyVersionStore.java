package io.ranker.policy;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where published rule sets live: immutable versions (content-hashed, with author, comment and time), each
 * surface's live pointer and its activation history (the audit trail of publish, rollback and seeding).
 * {@link FilePolicyVersionStore} keeps them under the data directory (one node); the Redis store shares them
 * between replicas. Changing a live pointer is a compare-and-set on the surface's revision, so two writers never
 * lose an update: the loser gets {@link StaleRevisionException} and decides again on what is current.
 */
public interface PolicyVersionStore {

    /** A surface's live version and the revision of the change that made it live (revisions only grow). */
    record LivePointer(String version, long revision) {
    }

    /** The live pointer moved since the caller read it; nothing was changed. */
    final class StaleRevisionException extends RuntimeException {
        private final LivePointer current;

        public StaleRevisionException(LivePointer current) {
            super("the live version changed concurrently (now " + current + ")");
            this.current = current;
        }

        /** The live pointer now; null when the surface has none. */
        public LivePointer current() { return current; }
    }

    /** Stores a version unless that content is already stored; returns the stored metadata either way. */
    PolicyVersion save(PolicyVersion meta, String yaml);

    Optional<PolicyVersion> meta(String surface, String version);

    /** The rule text of a stored version, checked against the checksum recorded when it was stored. */
    Optional<String> yaml(String surface, String version);

    /** All stored versions of a surface, in the order they were first activated (then by time). */
    List<PolicyVersion> versions(String surface);

    /** Activation history, oldest first. */
    List<PolicyActivation> history(String surface);

    /** Every surface's live pointer. */
    Map<String, LivePointer> live();

    default Optional<LivePointer> live(String surface) {
        return Optional.ofNullable(live().get(surface));
    }

    /**
     * Makes {@code activation.version()} (already {@link #save saved}) the surface's live version and appends the
     * activation to its history, atomically, if the surface's live revision is still {@code expectedRevision}
     * (0: the surface has no live version yet).
     *
     * @return the new live pointer
     * @throws StaleRevisionException the live pointer moved since the caller read it; nothing changed
     */
    LivePointer activate(String surface, PolicyActivation activation, long expectedRevision);

    /** Surfaces with a live version. */
    List<String> surfaces();

    /**
     * Whether other replicas change this store too (then the rule files of {@code ranking-config/policies} only
     * seed surfaces that have no live version, and changes arrive through {@link PolicyRegistry#sync}).
     */
    default boolean shared() {
        return false;
    }
}
