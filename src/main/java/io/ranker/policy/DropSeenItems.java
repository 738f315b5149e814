package io.ranker.policy;

import java.util.Set;

/** {@code type: exclude_seen}: removes items this user was shown or clicked within the window. */
public record DropSeenItems(String id, ActiveWindow active, long windowMillis, Set<String> kinds, SeenItems seen)
        implements PolicyRule {
    @Override
    public Phase phase() { return Phase.SCORE; }

    @Override
    public void apply(PolicyRun run) {
        String user = run.ctx().request() == null ? null : run.ctx().request().userId();
        if (user == null || user.isEmpty()) return;
        Set<String> ids = seen.seenSince(user, run.nowMillis() - windowMillis, kinds);
        if (ids.isEmpty()) return;
        run.removeIf(c -> ids.contains(c.id()), id, "excluded", "seen within the window");
    }
}
