package io.ranker.state;

/**
 * The key layout of the shared state in Redis. Every key that a compare-and-set touches carries the hash tag
 * {@code {<prefix>}}, so on a Redis Cluster all of them live in one slot and one Lua script can check and change
 * them atomically (policy live pointers and history, model routing, rollback stacks and audit, switches, the
 * revision counters). This state is small and written rarely; one slot holds it comfortably. Model artifacts
 * (large, immutable) and replay jobs spread over the cluster: their hash tag is their own version or job id.
 */
public final class StateKeys {
    private final String prefix;
    private final String tagged;

    public StateKeys(String prefix) {
        if (prefix == null || prefix.isBlank() || prefix.contains("{") || prefix.contains("}")) {
            throw new IllegalArgumentException("ranking.state.redis.key-prefix must be a non-blank name without braces");
        }
        this.prefix = prefix;
        this.tagged = "{" + prefix + "}";
    }

    public String prefix() { return prefix; }

    /** HASH kind -> revision counter, bumped by every committed change of that kind (the periodic check reads it). */
    public String revisions() { return tagged + ":revisions"; }

    /** Pub/sub channel of change notices (message: the kind that changed). */
    public String changes() { return prefix + ":changes"; }

    // ---- policies ----

    /** HASH surface -> "revision:version" (the live rule set of every surface). */
    public String policyLive() { return tagged + ":policy:live"; }

    /** LIST of the surface's activations (JSON), oldest first: the audit trail of publish and rollback. */
    public String policyHistory(String surface) { return tagged + ":policy:history:" + surface; }

    /** LIST of the surface's stored versions in the order they were first stored. */
    public String policyVersions(String surface) { return tagged + ":policy:versions:" + surface; }

    /** STRING, immutable: one stored rule set (metadata, text and its SHA-256). */
    public String policyVersion(String surface, String version) { return tagged + ":policy:v:" + surface + ":" + version; }

    // ---- models ----

    /** HASH surface -> "revision:routing JSON" (active, shadow, canary, experiments, salt). */
    public String modelRouting() { return tagged + ":models:routing"; }

    /** LIST of previously active versions of a surface (rollback stack, newest last). */
    public String modelPrevious(String surface) { return tagged + ":models:previous:" + surface; }

    /** STREAM: the model audit trail (upload, promote, rollback, routing, refusals). */
    public String modelAudit() { return tagged + ":models:audit"; }

    /** ZSET version -> registration time (ms): the versions every replica can load. */
    public String modelVersions() { return tagged + ":models:versions"; }

    /** STRING, immutable: a model's manifest, format, size, chunk count and SHA-256 (written after its chunks). */
    public String modelMeta(String version) { return prefix + ":model:{" + version + "}:meta"; }

    /** STRING: chunk {@code i} of a model's bytes. */
    public String modelChunk(String version, int i) { return prefix + ":model:{" + version + "}:chunk:" + i; }

    // ---- exploration switches ----

    /** HASH: "kill" -> 1|0, "surface:&lt;name&gt;" -> 0 (paused), "changedBy", "changedAt". */
    public String switches() { return tagged + ":switches"; }

    /** STREAM: who flipped which switch. */
    public String switchAudit() { return tagged + ":switches:audit"; }

    // ---- replay jobs ----

    /** STRING: a job's JSON view. */
    public String job(String id) { return prefix + ":job:{" + id + "}"; }

    /** STRING with a short expiry, refreshed by the replica running the job: gone = that replica died. */
    public String jobAlive(String id) { return prefix + ":job:{" + id + "}:alive"; }

    /** ZSET job id -> creation time (ms). */
    public String jobIndex() { return tagged + ":jobs"; }

    // ---- coordination ----

    /** STRING: a lock for once-per-cluster work (SET NX PX, holder id). */
    public String lock(String name) { return tagged + ":lock:" + name; }
}
