package io.ranker.explore;

import io.ranker.core.FieldError;
import io.ranker.core.DomainException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses the {@code explorer:} map of a pipeline file (as read by Jackson YAML: String, Number, Boolean)
 * into an {@link ExplorerConfig}. Keys may be kebab-case or camelCase ({@code top-n} / {@code topN}).
 * Every mistake is reported, each with a JSON pointer, in one 422 problem.
 *
 * <pre>
 * explorer:
 *   type: plackett-luce       # none | plackett-luce | shuffle-top-n
 *   epsilon: 0.1              # share of requests explored
 *   temperature: 0.5
 *   top-k: 50                 # Plackett-Luce pool size (0 = all candidates)
 *   top-n: 10                 # shuffle-top-n: positions permuted
 *   protected-positions: 1    # never explored
 *   exposure-cap: 0.2         # an item in more than 20% of recent impressions is not explored in
 *   exposure-window: 10000    # impressions the share is measured over (this replica's)
 *   exposure-limit: 1000      # an item shown in 1000 lists within the period is not explored in (all replicas)
 *   exposure-period: 1h       # the limit's period (s, m, h, d), fixed windows
 *   mc-samples: 2000
 *   exact-max-pool: 12
 *   enabled: true             # kill switch
 * </pre>
 */
public final class ExplorerConfigParser {
    private ExplorerConfigParser() {
    }

    /**
     * @param node    the value under {@code explorer:} (null or absent: exploration off)
     * @param pointer where it is, e.g. {@code /explorer}, for error pointers
     * @throws DomainException 422 listing every invalid field
     */
    public static ExplorerConfig parse(Object node, String pointer) {
        List<FieldError> errors = new ArrayList<>();
        ExplorerConfig cfg = parse(node, pointer, errors);
        if (!errors.isEmpty()) {
            throw DomainException.unprocessable("invalid explorer configuration at " + pointer + ": "
                    + errors.get(0).message() + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : ""),
                    errors);
        }
        return cfg;
    }

    /**
     * For pipeline-file validation that collects plain messages: appends {@code "explorer.<key>: message"}
     * for every mistake and returns null when there was any.
     */
    public static ExplorerConfig parse(Object node, List<String> errors) {
        List<FieldError> fieldErrors = new ArrayList<>();
        ExplorerConfig cfg = parse(node, "/explorer", fieldErrors);
        for (FieldError e : fieldErrors) {
            errors.add(e.pointer().substring(1).replace('/', '.') + ": " + e.message());
        }
        return cfg;
    }

    /** As {@link #parse(Object, String)}, collecting errors instead of throwing (null when any). */
    public static ExplorerConfig parse(Object node, String pointer, List<FieldError> errors) {
        if (node == null) return ExplorerConfig.DISABLED;
        if (!(node instanceof Map<?, ?> map)) {
            errors.add(FieldError.at(pointer, "explorer must be a mapping"));
            return null;
        }
        int before = errors.size();
        String type = ExplorerConfig.NONE;
        Object rawType = get(map, "type");
        if (rawType != null) {
            type = String.valueOf(rawType).trim().toLowerCase(Locale.ROOT);
            if (!type.equals(ExplorerConfig.NONE) && ExplorerTypes.named(type) == null) {
                errors.add(FieldError.at(pointer + "/type",
                        "unknown explorer type '" + rawType + "'; expected " + ExplorerTypes.choices()));
            }
        }
        ExplorerConfig d = ExplorerConfig.defaults(type);
        for (Object key : map.keySet()) {
            if (!KNOWN.contains(normal(String.valueOf(key)))) {
                errors.add(FieldError.at(pointer + "/" + key, "unknown explorer setting '" + key
                        + "'; expected one of type, epsilon, temperature, top-n, top-k, protected-positions, "
                        + "exposure-cap, exposure-window, exposure-limit, exposure-period, mc-samples, exact-max-pool, enabled"));
            }
        }
        double epsilon = number(map, "epsilon", d.epsilon(), 0, 1, false, pointer, errors);
        double temperature = number(map, "temperature", d.temperature(), 1e-6, 1e6, false, pointer, errors);
        int topN = integer(map, "topN", d.topN(), 2, 1000, pointer, errors);
        int topK = integer(map, "topK", d.topK(), 0, 100_000, pointer, errors);
        int protectedPositions = integer(map, "protectedPositions", d.protectedPositions(), 0, 1000, pointer, errors);
        double exposureCap = number(map, "exposureCap", d.exposureCap(), 0, 1, true, pointer, errors);
        int exposureWindow = integer(map, "exposureWindow", d.exposureWindow(), 100, 10_000_000, pointer, errors);
        int exposureLimit = integer(map, "exposureLimit", d.exposureLimit(), 0, 1_000_000_000, pointer, errors);
        long exposurePeriod = period(map, d.exposurePeriodMillis(), pointer, errors);
        int mcSamples = integer(map, "mcSamples", d.mcSamples(), 100, 1_000_000, pointer, errors);
        int exactMaxPool = integer(map, "exactMaxPool", d.exactMaxPool(), 0, 16, pointer, errors);
        boolean enabled = d.enabled();
        Object rawEnabled = get(map, "enabled");
        if (rawEnabled instanceof Boolean b) enabled = b;
        else if (rawEnabled != null) errors.add(FieldError.at(pointer + "/enabled", "enabled must be true or false"));
        if (errors.size() > before) return null;
        return new ExplorerConfig(type, epsilon, temperature, topN, topK, protectedPositions, exposureCap,
                exposureWindow, mcSamples, exactMaxPool, enabled, exposureLimit, exposurePeriod);
    }

    /** {@code exposure-period}: {@code 30s}, {@code 10m}, {@code 1h}, {@code 1d}, or a number of seconds; 1 s to 30 days. */
    private static long period(Map<?, ?> map, long dflt, String pointer, List<FieldError> errors) {
        Object v = get(map, "exposurePeriod");
        if (v == null) return dflt;
        String text = String.valueOf(v).trim().toLowerCase(Locale.ROOT);
        long millis = -1;
        try {
            if (v instanceof Number n) millis = Math.round(n.doubleValue() * 1000);
            else if (text.length() > 1) {
                long unit = switch (text.charAt(text.length() - 1)) {
                    case 's' -> 1_000L;
                    case 'm' -> 60_000L;
                    case 'h' -> 3_600_000L;
                    case 'd' -> 86_400_000L;
                    default -> -1;
                };
                if (unit > 0) millis = Math.round(Double.parseDouble(text.substring(0, text.length() - 1)) * unit);
            }
        } catch (NumberFormatException e) {
            millis = -1;
        }
        if (millis < 1_000 || millis > 30 * 86_400_000L) {
            errors.add(FieldError.at(pointer + "/exposure-period", "exposure-period must be a duration from 1s to 30d"
                    + " such as 30s, 10m, 1h or 1d, got '" + v + "'"));
            return dflt;
        }
        return millis;
    }

    private static final List<String> KNOWN = List.of("type", "epsilon", "temperature", "topn", "topk",
            "protectedpositions", "exposurecap", "exposurewindow", "exposurelimit", "exposureperiod", "mcsamples",
            "exactmaxpool", "enabled");

    private static String normal(String key) {
        return key.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
    }

    private static Object get(Map<?, ?> map, String name) {
        String wanted = normal(name);
        for (var e : map.entrySet()) {
            if (normal(String.valueOf(e.getKey())).equals(wanted)) return e.getValue();
        }
        return null;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static double number(Map<?, ?> map, String name, double dflt, double min, double max,
                                 boolean openMin, String pointer, List<FieldError> errors) {
        Object v = get(map, name);
        if (v == null) return dflt;
        String key = kebab(name);
        if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
            errors.add(FieldError.at(pointer + "/" + key, key + " must be a number"));
            return dflt;
        }
        double x = n.doubleValue();
        if ((openMin ? x <= min : x < min) || x > max) {
            errors.add(FieldError.at(pointer + "/" + key, key + " must be in " + (openMin ? "(" : "[")
                    + min + ", " + max + "], got " + x));
        }
        return x;
    }

    private static int integer(Map<?, ?> map, String name, int dflt, int min, int max, String pointer,
                               List<FieldError> errors) {
        Object v = get(map, name);
        if (v == null) return dflt;
        String key = kebab(name);
        if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() != ((Number) v).intValue()) {
            errors.add(FieldError.at(pointer + "/" + key, key + " must be a whole number"));
            return dflt;
        }
        int x = ((Number) v).intValue();
        if (x < min || x > max) {
            errors.add(FieldError.at(pointer + "/" + key, key + " must be in [" + min + ", " + max + "], got " + x));
        }
        return x;
    }
}
