package io.ranker.catalog.changelog;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;

/**
 * The shared catalog's changelog ({@code ranking.catalog.changelog.*}); used only with
 * {@code ranking.state.store=redis}.
 */
@ConfigMapping(prefix = "ranking.catalog.changelog")
public interface ChangelogSettings {
    /** Most entries read and applied in one batch. */
    @WithName("batch-size")
    @WithDefault("1000")
    int batchSize();

    /** How long one read waits for new entries (XREAD BLOCK) before looking at the head again. */
    @WithDefault("500ms")
    Duration block();

    /**
     * How often the applied entries are committed (with the position in the same commit). A crash re-applies at most
     * this much from the stream; a shorter interval costs more fsyncs.
     */
    @WithName("commit-interval")
    @WithDefault("1s")
    Duration commitInterval();

    /** How often the stream's head is read for the lag (one XINFO STREAM). */
    @WithName("head-interval")
    @WithDefault("1s")
    Duration headInterval();

    /** A starting replica becomes ready within this lag of the head (age of its oldest unapplied entry) ... */
    @WithName("ready-lag")
    @WithDefault("5s")
    Duration readyLag();

    /** ... and within this many unapplied entries. */
    @WithName("ready-lag-entries")
    @WithDefault("1000")
    long readyLagEntries();

    /**
     * A ready replica stops being ready when its oldest unapplied entry is older than this (it is stuck, not merely
     * busy with a bulk load that every replica is applying too).
     */
    @WithName("unready-lag")
    @WithDefault("60s")
    Duration unreadyLag();

    /** Longest wait of {@code ?wait=applied} (then 202 with the entry id) and of a DELETE for its outcome. */
    @WithName("wait-timeout")
    @WithDefault("5s")
    Duration waitTimeout();
}
