package io.ranker.policy;

import io.ranker.core.Item;
import io.ranker.core.Candidate;
import io.ranker.core.RankingContext;
import io.ranker.core.RuleEffect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The mutable state of one policy application (one request): the surviving candidates in their current order,
 * what was removed, and the placement constraints the rules declared. Lives for one request only.
 */
public final class PolicyRun {
    private final RankingContext ctx;
    private final Map<String, String> context;
    private final long nowMillis;
    private final boolean explain;
    final List<Candidate> list;
    final List<Candidate> removed = new ArrayList<>();
    final List<PlaceConstrained.Pin> pins = new ArrayList<>(2);
    final List<PlaceConstrained.Slot> slots = new ArrayList<>(2);
    final List<CapPerAttribute> caps = new ArrayList<>(2);

    PolicyRun(RankingContext ctx, List<Candidate> candidates, long nowMillis) {
        this.ctx = ctx;
        this.context = ctx.request() == null ? Map.of() : ctx.request().context();
        this.nowMillis = nowMillis;
        this.explain = ctx.request() == null || ctx.request().explain();
        this.list = new ArrayList<>(candidates);
    }

    public RankingContext ctx() { return ctx; }

    /** The request context (string map); the user segment is one of its keys. */
    public Map<String, String> context() { return context; }

    public long nowMillis() { return nowMillis; }

    /**
     * Whether rules should write detailed effect text. Effects (rule and action) are always recorded; the
     * number formatting in details costs more than the rules themselves, so it is done for explain requests.
     */
    public boolean explain() { return explain; }

    /** Current survivors in current order; SCORE and ORDER rules may edit it in place. */
    public List<Candidate> candidates() { return list; }

    public boolean matches(Condition c, Candidate cand) {
        Item item = cand.item();
        return c.test(item, context);
    }

    /** Removes every candidate the predicate selects, recording the effect on each. */
    public void removeIf(java.util.function.Predicate<Candidate> drop, String rule, String action, String detail) {
        int w = 0;
        for (int r = 0; r < list.size(); r++) {
            Candidate c = list.get(r);
            if (drop.test(c)) {
                if (rule != null) c.addEffect(new RuleEffect(rule, action, detail));
                removed.add(c);
            } else {
                list.set(w++, c);
            }
        }
        list.subList(w, list.size()).clear();
    }

    /** Records a removal decided by a fused per-candidate pass (the effect is already on the candidate). */
    void removed(Candidate c) { removed.add(c); }

    void pin(PlaceConstrained.Pin pin) { pins.add(pin); }

    void slot(PlaceConstrained.Slot slot) { slots.add(slot); }

    void cap(CapPerAttribute cap) { caps.add(cap); }
}
