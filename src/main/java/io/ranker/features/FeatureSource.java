package io.ranker.features;

import java.util.Set;

/**
 * A parsed {@code source:} of the schema. {@code a} and {@code b} are the kind's arguments, e.g.
 * {@code hit:bm25:score} is (HIT, "bm25", "score"), {@code ratio:price/mean_price} is (RATIO, "price", "mean_price").
 */
public record FeatureSource(Kind kind, String a, String b) {

    public enum Kind {
        STORE, ATTRIBUTE, AGE_DAYS, COUNTER, CONTEXT_NUMBER, CONTEXT_EQUALS, QUERY, TIME, HIT, COSINE, RATIO, LOOKUP
    }

    public static final FeatureSource STORE = new FeatureSource(Kind.STORE, null, null);

    private static final Set<String> COUNTERS = Set.of("ctr", "impressions", "clicks");
    private static final Set<String> QUERY = Set.of("terms", "has_vector");
    private static final Set<String> TIME = Set.of("hour_of_day", "day_of_week");

    /** Parses a source string as written in features.yaml; null or empty means {@code store}. */
    public static FeatureSource parse(String s) {
        if (s == null || s.isBlank() || s.equals("store")) return STORE;
        int colon = s.indexOf(':');
        if (colon < 0) throw new IllegalArgumentException("source '" + s + "' has no kind (expected e.g. attribute:price)");
        String kind = s.substring(0, colon);
        String arg = s.substring(colon + 1).trim();
        if (arg.isEmpty()) throw new IllegalArgumentException("source '" + s + "' has no argument");
        switch (kind) {
            case "attribute":
                return new FeatureSource(Kind.ATTRIBUTE, arg, null);
            case "age_days":
                return new FeatureSource(Kind.AGE_DAYS, arg, null);
            case "counter":
                if (!COUNTERS.contains(arg)) throw new IllegalArgumentException("counter '" + arg + "' unknown (expected ctr, impressions, clicks)");
                return new FeatureSource(Kind.COUNTER, arg, null);
            case "context": {
                int eq = arg.indexOf('=');
                return eq < 0 ? new FeatureSource(Kind.CONTEXT_NUMBER, arg, null)
                        : new FeatureSource(Kind.CONTEXT_EQUALS, arg.substring(0, eq), arg.substring(eq + 1));
            }
            case "query":
                if (!QUERY.contains(arg)) throw new IllegalArgumentException("query source '" + arg + "' unknown (expected terms, has_vector)");
                return new FeatureSource(Kind.QUERY, arg, null);
            case "time":
                if (!TIME.contains(arg)) throw new IllegalArgumentException("time source '" + arg + "' unknown (expected hour_of_day, day_of_week)");
                return new FeatureSource(Kind.TIME, arg, null);
            case "hit": {
                int c = arg.lastIndexOf(':');
                String what = c < 0 ? "" : arg.substring(c + 1);
                if (c <= 0 || !(what.equals("score") || what.equals("rank"))) {
                    throw new IllegalArgumentException("hit source '" + s + "' must be hit:<source>:score or hit:<source>:rank");
                }
                return new FeatureSource(Kind.HIT, arg.substring(0, c), what);
            }
            case "cosine":
                return new FeatureSource(Kind.COSINE, arg, null);
            case "ratio": {
                int slash = arg.indexOf('/');
                if (slash <= 0 || slash == arg.length() - 1) throw new IllegalArgumentException("ratio source '" + s + "' must be ratio:<item feature>/<user feature>");
                return new FeatureSource(Kind.RATIO, arg.substring(0, slash), arg.substring(slash + 1));
            }
            case "lookup": {
                int open = arg.indexOf('[');
                if (open <= 0 || !arg.endsWith("]")) throw new IllegalArgumentException("lookup source '" + s + "' must be lookup:<user map>[<item attribute>]");
                return new FeatureSource(Kind.LOOKUP, arg.substring(0, open), arg.substring(open + 1, arg.length() - 1));
            }
            default:
                throw new IllegalArgumentException("source kind '" + kind + "' unknown");
        }
    }

    /** Which kinds each group may use. */
    static boolean allowedIn(Kind kind, FeatureGroup group) {
        return switch (group) {
            case ITEM -> kind == Kind.STORE || kind == Kind.ATTRIBUTE || kind == Kind.AGE_DAYS || kind == Kind.COUNTER;
            case USER -> kind == Kind.STORE;
            case REQUEST -> kind == Kind.CONTEXT_NUMBER || kind == Kind.CONTEXT_EQUALS || kind == Kind.QUERY || kind == Kind.TIME;
            case RETRIEVAL -> kind == Kind.HIT;
            case CROSS -> kind == Kind.COSINE || kind == Kind.RATIO || kind == Kind.LOOKUP;
        };
    }
}
