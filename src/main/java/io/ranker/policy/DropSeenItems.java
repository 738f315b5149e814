package io.ranker.policy;

import io.ranker.core.RuleEffect;

import java.util.List;
import java.util.Set;

/** {@code type: exclude_seen}: removes items this user was shown or clicked within the window. */
public record DropSeenItems(String id, ActiveWindow active, long windowMillis, Set<String> kinds, SeenItems seen)
        implements CandidateRule {
    static final RuleType<DropSeenItems> TYPE = new RuleType<>("exclude_seen", Set.of("window", "events"),
            in -> new DropSeenItems(in.id(), in.active(), in.requiredDuration("window"),
                    Set.copyOf(in.strings("events", List.of())), in.seenItems()));

    @Override
    public Step prepare(PolicyRun run) {
        String user = run.ctx().request() == null ? null : run.ctx().request().userId();
        if (user == null || user.isEmpty()) return null;
        Set<String> ids = seen.seenSince(user, run.nowMillis() - windowMillis, kinds);
        if (ids.isEmpty()) return null;
        RuleEffect effect = new RuleEffect(id, "excluded", "seen within the window");
        return c -> {
            if (!ids.contains(c.id())) return true;
            c.addEffect(effect);
            return false;
        };
    }
}
