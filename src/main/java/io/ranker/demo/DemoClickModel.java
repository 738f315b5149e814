package io.ranker.demo;

import io.ranker.simulation.ClickModel;
import io.ranker.core.Item;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The known truth behind the demo and the simulator: how relevant an item is to a demo user, and how
 * likely a position is to be examined (position-based click model: P(click) = examination(pos) x relevance).
 * Relevance depends on the user's two favourite categories, the item's rating, stock, and how well its price
 * suits the user's price preference; none of it is visible to the ranker except through features.
 */
public final class DemoClickModel implements ClickModel {
    private final Map<String, DemoUsers.DemoUser> users;
    private final double positionBias;

    /** @param positionBias eta in examination(pos) = 1 / pos^eta; 0 means no position bias */
    public DemoClickModel(List<DemoUsers.DemoUser> users, double positionBias) {
        this.users = users.stream().collect(Collectors.toUnmodifiableMap(DemoUsers.DemoUser::id, Function.identity()));
        this.positionBias = positionBias;
    }

    @Override
    public double examination(int position) {
        return Math.pow(position, -positionBias);
    }

    @Override
    public double relevance(String userId, Item item) {
        DemoUsers.DemoUser user = userId == null ? null : users.get(userId);
        Object category = item.attribute("category");
        double rating = item.numberAttribute("rating") == null ? 3.5 : item.numberAttribute("rating");
        double r = 0.02 + 0.10 * Math.max(0, (rating - 2.5) / 2.5);
        if (user != null) {
            List<String> fav = user.favourites();
            if (!fav.isEmpty() && fav.get(0).equals(category)) r += 0.40;
            else if (fav.size() > 1 && fav.get(1).equals(category)) r += 0.20;
            Double price = item.numberAttribute("price");
            if (price != null) {
                // Cheap-leaning users (preference near 0) like low prices; premium-leaning users like high ones.
                double cheapness = 1 / (1 + Math.log1p(price) / 4);
                r += 0.08 * (1 - Math.abs((1 - user.pricePreference()) - cheapness));
            }
        }
        if (Boolean.FALSE.equals(item.attribute("in_stock"))) r *= 0.1;
        return Math.min(0.95, r);
    }

    @Override
    public double clickProbability(String userId, Item item, int position) {
        return examination(position) * relevance(userId, item);
    }

    /**
     * Relevance to a search: the user's taste, scaled by how much of the query the item's text contains (an item
     * that matches none of the words keeps 30% of it), plus a bonus for matching. Feeds have no query.
     */
    public double relevance(String userId, Item item, String query) {
        double r = relevance(userId, item);
        if (query == null || query.isBlank()) return r;
        double match = termMatch(query, item);
        return Math.min(0.95, r * (0.3 + 0.7 * match) + 0.15 * match);
    }

    public double clickProbability(String userId, Item item, int position, String query) {
        return examination(position) * relevance(userId, item, query);
    }

    /** Share of the query's words found in the item's title or text (case-insensitive, whole words). */
    static double termMatch(String query, Item item) {
        String[] words = query.toLowerCase(java.util.Locale.ROOT).split("[^a-z0-9]+");
        java.util.Set<String> text = new java.util.HashSet<>(java.util.Arrays.asList(
                (item.title() + " " + item.text()).toLowerCase(java.util.Locale.ROOT).split("[^a-z0-9]+")));
        int n = 0, found = 0;
        for (String w : words) {
            if (w.isEmpty()) continue;
            n++;
            if (text.contains(w)) found++;
        }
        return n == 0 ? 0 : (double) found / n;
    }

    public boolean isDemoUser(String userId) {
        return users.containsKey(userId);
    }
}
