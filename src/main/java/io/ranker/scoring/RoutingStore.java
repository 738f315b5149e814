package io.ranker.scoring;

import java.util.List;
import java.util.Map;

/**
 * Where the live model routing lives: each surface's {@link ModelsConfig.SurfaceModels} (active, shadow, canary,
 * experiments) with the revision of its last change, the rollback stack of previously active versions, and the
 * audit trail. {@link FileRoutingStore} keeps it under the data directory ({@code ranking-config/models.yaml} only
 * seeds it); the Redis store shares it between replicas. A change is a compare-and-set on the surface's revision
 * and is audited together with the change.
 */
public interface RoutingStore {

    /** One surface's routing and the revision of the change that set it (revisions only grow). */
    record SurfaceRouting(ModelsConfig.SurfaceModels models, long revision) {
    }

    /** The surface's revision moved since the caller read it; nothing changed. */
    final class StaleRoutingException extends RuntimeException {
        public StaleRoutingException(String surface) {
            super("the routing of '" + surface + "' changed concurrently");
        }
    }

    /**
     * Every surface's routing.
     *
     * @throws ModelRejectedException the stored routing is unreadable (e.g. an empty or corrupt routing file): it is
     *                                never read as "no models"
     */
    Map<String, SurfaceRouting> load();

    /**
     * Sets a surface's routing if its revision is still {@code expectedRevision} (0: the surface has none yet) and
     * every version it names is registered; pushes {@code pushPrevious} (unless null) on the surface's rollback
     * stack or pops {@code pop} entries off it; records {@code audit}. All or nothing.
     *
     * @return the new revision
     * @throws StaleRoutingException the surface changed since the caller read it
     */
    long commit(String surface, ModelsConfig.SurfaceModels next, long expectedRevision, String pushPrevious, int pop,
                Map<String, Object> audit);

    /**
     * A surface's active version changed without {@link #commit} (a hand edit of a routing file): pushes the version
     * that served before on the rollback stack, as a promotion would. Nothing to do where every change is a commit.
     */
    default void rememberActive(String surface, String previousActive) {
    }

    /** The surface's previously active versions, oldest first (the rollback stack). */
    List<String> previous(String surface);

    /** The audit trail (entries that change nothing, such as uploads and refusals, are recorded here directly). */
    ModelAudit audit();

    /** Where the routing lives, for operators ("file:/var/lib/ranker/models/routing.yaml", "redis"). */
    String describe();

    /** Whether other replicas change this store too. */
    default boolean shared() {
        return false;
    }
}
