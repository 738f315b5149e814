package io.ranker.catalog.changelog;

import java.util.HashMap;
import java.util.Map;

/**
 * How far an index has applied the changelog, kept in the user data of the Lucene commit that holds those writes,
 * so that index and position can never disagree after a crash.
 *
 * @param epoch    the changelog's identity (created with it, see {@link RedisChangelog#meta}); an index built from
 *                 another changelog (Redis wiped, another deployment's) must not follow this one
 * @param lastId   the last entry applied (or skipped)
 * @param consumed how many entries that is from the start of the stream (applied or skipped): with the stream's
 *                 {@code entries-added} it gives the lag in entries, and shows when trimming removed entries this
 *                 index never saw
 */
public record ChangelogPosition(String epoch, StreamId lastId, long consumed) {
    static final String EPOCH = "changelog.epoch";
    static final String LAST_ID = "changelog.last-id";
    static final String CONSUMED = "changelog.consumed";

    public static ChangelogPosition start(String epoch) {
        return new ChangelogPosition(epoch, StreamId.ZERO, 0);
    }

    /** The position in a commit's user data, or null when the commit has none (a new or single-node index). */
    public static ChangelogPosition fromCommitData(Map<String, String> data) {
        String epoch = data.get(EPOCH);
        if (epoch == null) return null;
        return new ChangelogPosition(epoch, StreamId.parse(data.getOrDefault(LAST_ID, "0-0")),
                Long.parseLong(data.getOrDefault(CONSUMED, "0")));
    }

    public Map<String, String> toCommitData() {
        Map<String, String> m = new HashMap<>();
        m.put(EPOCH, epoch);
        m.put(LAST_ID, lastId.toString());
        m.put(CONSUMED, Long.toString(consumed));
        return m;
    }

    ChangelogPosition advance(StreamId id) {
        return new ChangelogPosition(epoch, id, consumed + 1);
    }
}
