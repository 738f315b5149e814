package io.ranker.state;

import org.jboss.logging.Logger;

/**
 * Change notices: after a committed change, the writer publishes the kind that changed on the changes channel, so
 * the other replicas reload it at once. Best effort by design: a notice that is lost (a failed PUBLISH, a replica
 * re-connecting) is made up for by every replica's periodic revision check.
 */
final class StateChanges {
    private static final Logger LOG = Logger.getLogger(StateChanges.class);

    private StateChanges() {
    }

    static void announce(RedisStateClient redis, StateKeys keys, String kind) {
        redis.publishAsync(keys.changes(), kind, e -> LOG.debugf(
                "state: change notice for %s not sent (%s); the other replicas find it at their next check", kind, e.getMessage()));
    }
}
