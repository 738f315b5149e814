package io.ranker.explore;

/**
 * Stops exploration on every surface at once (each surface also has its own {@code enabled} flag). While
 * engaged, lists are deterministic with propensity 1. Flip it from an admin endpoint or an operator command.
 */
public final class KillSwitch {
    private volatile boolean engaged;

    public boolean engaged() {
        return engaged;
    }

    public void engage() {
        engaged = true;
    }

    public void release() {
        engaged = false;
    }
}
