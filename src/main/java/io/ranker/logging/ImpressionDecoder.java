package io.ranker.logging;

import io.ranker.core.FeatureGroupHealth;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes an impression payload with Jackson's streaming parser straight into {@link ImpressionRecord}: no bean
 * introspection, no creator buffering, candidate features parsed into the {@code float[]} directly. Replay spends
 * most of its time decoding candidate sets, and data binding was 3-5x slower than this on them.
 *
 * <p>Same result as {@code LogJson.MAPPER.readValue(payload, ImpressionRecord.class)} on every record the log
 * writes. Anything this decoder does not expect (a number where a string belongs, a string that is not a
 * non-finite number where a number belongs, a float where an int belongs, malformed JSON...) makes it hand the
 * whole payload to data binding, so unusual records decode (or fail) exactly as they always did.
 */
final class ImpressionDecoder {
    private static final JsonFactory FACTORY = LogJson.MAPPER.getFactory();

    /** This decoder's way of saying "not the shape I handle: let data binding decide". */
    private static final class Unexpected extends Exception {
        Unexpected() {
            super(null, null, false, false);
        }
    }

    private static final Unexpected UNEXPECTED = new Unexpected();

    private ImpressionDecoder() {
    }

    /**
     * @throws UncheckedIOException when the payload is not an impression record (as data binding reports it)
     */
    static ImpressionRecord decode(byte[] payload, String where) {
        ImpressionRecord r = streamed(payload);
        if (r != null) return r;
        try {
            return LogJson.MAPPER.readValue(payload, ImpressionRecord.class);
        } catch (IOException e) {
            throw new UncheckedIOException("record at " + where + " is not a ImpressionRecord", e);
        }
    }

    /** The streaming decoding alone; null when the payload is not of the shape it handles. */
    static ImpressionRecord streamed(byte[] payload) {
        try (JsonParser p = FACTORY.createParser(payload)) {
            return record(p);
        } catch (IOException | Unexpected | RuntimeException e) {
            return null; // data binding decides (and words the error)
        }
    }

    /** @return null when the payload is not one JSON object followed by nothing */
    private static ImpressionRecord record(JsonParser p) throws IOException, Unexpected {
        if (p.nextToken() != JsonToken.START_OBJECT) return null;
        String impressionId = null, surface = null, userId = null, query = null, experimentArm = null, explorer = null;
        String traceId = null;
        long timestamp = 0, seed = 0;
        Map<String, String> context = null, versions = null;
        boolean explored = false;
        int mcSamples = 0;
        double mcStdError = 0;
        List<ImpressionRecord.ShownItem> items = null;
        List<String> featureNames = null, degraded = null, exposureCapped = null;
        List<ImpressionRecord.LoggedCandidate> candidates = null;
        Map<String, FeatureGroupHealth> featureHealth = null;
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "impressionId" -> impressionId = string(p, t);
                case "timestamp" -> timestamp = longValue(p, t);
                case "surface" -> surface = string(p, t);
                case "userId" -> userId = string(p, t);
                case "query" -> query = string(p, t);
                case "context" -> context = stringMap(p, t);
                case "seed" -> seed = longValue(p, t);
                case "versions" -> versions = stringMap(p, t);
                case "experimentArm" -> experimentArm = string(p, t);
                case "explorer" -> explorer = string(p, t);
                case "explored" -> explored = booleanValue(t);
                case "mcSamples" -> mcSamples = intValue(p, t);
                case "mcStdError" -> mcStdError = doubleValue(p, t);
                case "items" -> items = items(p, t);
                case "featureNames" -> featureNames = stringList(p, t);
                case "candidates" -> candidates = candidates(p, t);
                case "featureHealth" -> featureHealth = featureHealth(p, t);
                case "degraded" -> degraded = stringList(p, t);
                case "exposureCapped" -> exposureCapped = stringList(p, t);
                case "traceId" -> traceId = string(p, t);
                default -> p.skipChildren(); // "kind", and fields added later
            }
        }
        if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) return null;
        return new ImpressionRecord(impressionId, timestamp, surface, userId, query, context, seed, versions,
                experimentArm, explorer, explored, mcSamples, items, featureNames, candidates, featureHealth, degraded,
                mcStdError, exposureCapped, traceId);
    }

    private static List<ImpressionRecord.ShownItem> items(JsonParser p, JsonToken t) throws IOException, Unexpected {
        if (t == JsonToken.VALUE_NULL) return null;
        if (t != JsonToken.START_ARRAY) throw UNEXPECTED;
        List<ImpressionRecord.ShownItem> out = new ArrayList<>();
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == JsonToken.VALUE_NULL) {
                out.add(null);
                continue;
            }
            if (t != JsonToken.START_OBJECT) throw UNEXPECTED;
            String id = null;
            int position = 0;
            double retrievalScore = 0, modelScore = 0, score = 0, propensity = 0, choiceProb = 0;
            Map<String, Double> shadowScores = null;
            String name;
            while ((name = p.nextFieldName()) != null) {
                JsonToken v = p.nextToken();
                switch (name) {
                    case "id" -> id = string(p, v);
                    case "position" -> position = intValue(p, v);
                    case "retrievalScore" -> retrievalScore = doubleValue(p, v);
                    case "modelScore" -> modelScore = doubleValue(p, v);
                    case "score" -> score = doubleValue(p, v);
                    case "propensity" -> propensity = doubleValue(p, v);
                    case "choiceProb" -> choiceProb = doubleValue(p, v);
                    case "shadowScores" -> shadowScores = doubleMap(p, v);
                    default -> p.skipChildren();
                }
            }
            out.add(new ImpressionRecord.ShownItem(id, position, retrievalScore, modelScore, score, propensity,
                    choiceProb, shadowScores));
        }
        return out;
    }

    private static List<ImpressionRecord.LoggedCandidate> candidates(JsonParser p, JsonToken t) throws IOException, Unexpected {
        if (t == JsonToken.VALUE_NULL) return null;
        if (t != JsonToken.START_ARRAY) throw UNEXPECTED;
        List<ImpressionRecord.LoggedCandidate> out = new ArrayList<>();
        float[] buf = new float[16];
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == JsonToken.VALUE_NULL) {
                out.add(null);
                continue;
            }
            if (t != JsonToken.START_OBJECT) throw UNEXPECTED;
            String id = null;
            double retrievalScore = 0;
            Map<String, double[]> sources = null;
            float[] features = null;
            Map<String, Object> attributes = null;
            String name;
            while ((name = p.nextFieldName()) != null) {
                JsonToken v = p.nextToken();
                switch (name) {
                    case "id" -> id = string(p, v);
                    case "retrievalScore" -> retrievalScore = doubleValue(p, v);
                    case "sources" -> sources = sources(p, v);
                    case "features" -> {
                        if (v == JsonToken.VALUE_NULL) {
                            features = null;
                        } else {
                            if (v != JsonToken.START_ARRAY) throw UNEXPECTED;
                            int n = 0;
                            while ((v = p.nextToken()) != JsonToken.END_ARRAY) {
                                if (n == buf.length) buf = Arrays.copyOf(buf, n * 2);
                                buf[n++] = floatValue(p, v);
                            }
                            features = Arrays.copyOf(buf, n);
                        }
                    }
                    case "attributes" -> attributes = attributes(p, v);
                    default -> p.skipChildren();
                }
            }
            out.add(new ImpressionRecord.LoggedCandidate(id, retrievalScore, sources, features, attributes));
        }
        return out;
    }

    private static Map<String, double[]> sources(JsonParser p, JsonToken t) throws IOException, Unexpected {
        if (t == JsonToken.VALUE_NULL) return null;
        if (t != JsonToken.START_OBJECT) throw UNEXPECTED;
        Map<String, double[]> out = new LinkedHashMap<>();
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken v = p.nextToken();
            if (v == JsonToken.VALUE_NULL) {
                out.put(name, null);
                continue;
            }
            if (v != JsonToken.START_ARRAY) throw UNEXPECTED;
            double[] a = new double[2];
            int n = 0;
            while ((v = p.nextToken()) != JsonToken.END_ARRAY) {
                if (n == a.length) a = Arrays.copyOf(a, n * 2);
                a[n++] = doubleValue(p, v);
            }
            out.put(name, n == a.length ? a : Arrays.copyOf(a, n));
        }
        return out;
    }

    /** Untyped values as data binding makes them: String, Integer/Long/BigInteger, Double, Boolean, List, Map. */
    private static Map<String, Object> attributes(JsonParser p, JsonToken t) throws IOException, Unexpected {
        if (t == JsonToken.VALUE_NULL) return null;
        if (t != JsonToken.START_OBJECT) throw UNEXPECTED;
        Map<String, Object> out = new LinkedHashMap<>();
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken v = p.nextToken();
            Object value = switch (v) {
                case VALUE_STRING -> p.getText();
                case VALUE_NUMBER_INT -> p.getNumberValue();
                case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
                case VALUE_TRUE -> Boolean.TRUE;
                case VALUE_FALSE -> Boolean.FALSE;
                case VALUE_NULL -> null;
                case START_ARRAY, START_OBJECT -> LogJson.MAPPER.readValue(p, Object.class); // tags: rare, exact
                default -> throw UNEXPECTED;
            };
            out.put(name, value);
        }
        return out;
    }

    private static Map<String, FeatureGroupHealth> featureHealth(JsonParser p, JsonToken t) throws IOException, Unexpected {
        if (t == JsonToken.VALUE_NULL) return null;
        if (t != JsonToken.START_OBJECT) throw UNEXPECTED;
        Map<String, FeatureGroupHealth> out = new LinkedHashMap<>();
        String group;
        while ((group = p.nextFieldName()) != null) {
            JsonToken v = p.nextToken();
            if (v == JsonToken.VALUE_NULL) {
                out.put(group, null);
                continue;
            }
            if (v != JsonToken.START_OBJECT) throw UNEXPECTED;
            long maxAge = 0;
            double missing = 0;
            String name;
            while ((name = p.nextFieldName()) != null) {
                JsonToken f = p.nextToken();
                switch (name) {
                    case "maxAgeMillis" -> maxAge = longValue(p, f);
                    case "missingShare" -> missing = doubleValue(p, f);
                    default -> p.skipChildren();
                }
            }
            out.put(group, new FeatureGroupHealth(maxAge, missing));
        }
        return out;
    }

    private static Map<String, String> stringMap(JsonParser p, JsonToken t) throws IOException, Unexpected {
        if (t == JsonToken.VALUE_NULL) return null;
        if (t != JsonToken.START_OBJECT) throw UNEXPECTED;
        Map<String, String> out = new LinkedHashMap<>();
        String name;
        while ((name = p.nextFieldName()) != null) out.put(name, string(p, p.nextToken()));
        return out;
    }

    private static Map<String, Double> doubleMap(JsonParser p, JsonToken t) throws IOException, Unexpected {
        if (t == JsonToken.VALUE_NULL) return null;
        if (t != JsonToken.START_OBJECT) throw UNEXPECTED;
        Map<String, Double> out = new LinkedHashMap<>();
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken v = p.nextToken();
            out.put(name, v == JsonToken.VALUE_NULL ? null : doubleValue(p, v));
        }
        return out;
    }

    private static List<String> stringList(JsonParser p, JsonToken t) throws IOException, Unexpected {
        if (t == JsonToken.VALUE_NULL) return null;
        if (t != JsonToken.START_ARRAY) throw UNEXPECTED;
        List<String> out = new ArrayList<>();
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) out.add(string(p, t));
        return out;
    }

    private static String string(JsonParser p, JsonToken t) throws IOException, Unexpected {
        if (t == JsonToken.VALUE_STRING) return p.getText();
        if (t == JsonToken.VALUE_NULL) return null;
        throw UNEXPECTED;
    }

    private static long longValue(JsonParser p, JsonToken t) throws IOException, Unexpected {
        if (t == JsonToken.VALUE_NUMBER_INT) return p.getLongValue();
        if (t == JsonToken.VALUE_NULL) return 0;
        throw UNEXPECTED;
    }

    private static int intValue(JsonParser p, JsonToken t) throws IOException, Unexpected {
        if (t == JsonToken.VALUE_NUMBER_INT) return p.getIntValue();
        if (t == JsonToken.VALUE_NULL) return 0;
        throw UNEXPECTED;
    }

    private static boolean booleanValue(JsonToken t) throws Unexpected {
        if (t == JsonToken.VALUE_TRUE) return true;
        if (t == JsonToken.VALUE_FALSE || t == JsonToken.VALUE_NULL) return false;
        throw UNEXPECTED;
    }

    private static double doubleValue(JsonParser p, JsonToken t) throws IOException, Unexpected {
        if (t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT) return p.getDoubleValue();
        if (t == JsonToken.VALUE_STRING) return nonFinite(p.getText());
        if (t == JsonToken.VALUE_NULL) return 0;
        throw UNEXPECTED;
    }

    private static float floatValue(JsonParser p, JsonToken t) throws IOException, Unexpected {
        if (t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT) return p.getFloatValue();
        if (t == JsonToken.VALUE_STRING) return (float) nonFinite(p.getText());
        if (t == JsonToken.VALUE_NULL) return 0f;
        throw UNEXPECTED;
    }

    /** What the log writes for non-finite numbers (WRITE_NAN_AS_STRINGS); other strings are left to data binding. */
    private static double nonFinite(String s) throws Unexpected {
        return switch (s) {
            case "NaN" -> Double.NaN;
            case "Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> throw UNEXPECTED;
        };
    }
}
