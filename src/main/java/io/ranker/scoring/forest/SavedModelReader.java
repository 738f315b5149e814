package io.ranker.scoring.forest;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an XGBoost saved model, JSON or UBJSON (the two formats {@code save_model} and xgboost4j's
 * {@code Booster.toByteArray} write), into plain Java values: {@code Map<String, Object>} objects,
 * {@code String}, {@code Long}, {@code Float}, {@code Boolean}, {@code null}, and arrays. Numeric arrays become
 * primitive arrays ({@code long[]} when every element is an integer, {@code float[]} otherwise), which is
 * what the model's node arrays are; any other array is a {@code List<Object>}.
 *
 * <p>Numbers are read as XGBoost reads them: a JSON number with a fraction or exponent is parsed straight to
 * float32 from its text (never via double, which could round differently), {@code NaN} and
 * {@code [-]Infinity} are accepted, and UBJ's float64 values are narrowed to float32. Input is hostile until
 * proven otherwise: nesting is bounded, duplicate keys are refused and no count read from the input can make
 * the reader allocate more than the input's own size.
 */
public final class SavedModelReader {
    /** XGBoost models nest about 8 levels deep; anything far beyond that is not a model. */
    static final int MAX_DEPTH = 64;

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS)
            .build()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private SavedModelReader() {
    }

    /** Parses JSON (first non-blank byte after '{' is '"' or '}') or UBJSON. */
    public static Map<String, Object> read(byte[] bytes) {
        if (bytes == null || bytes.length < 2 || bytes[0] != '{') {
            throw new MalformedModelException("not an XGBoost model: expected a JSON or UBJ object");
        }
        Object root = isJson(bytes) ? readJson(bytes) : new Ubjson(bytes).readDocument();
        if (!(root instanceof Map<?, ?> m)) throw new MalformedModelException("not an XGBoost model: the top level is not an object");
        @SuppressWarnings("unchecked") Map<String, Object> map = (Map<String, Object>) m;
        return map;
    }

    static boolean isJson(byte[] bytes) {
        int i = 1;
        while (i < bytes.length && (bytes[i] == ' ' || bytes[i] == '\n' || bytes[i] == '\r' || bytes[i] == '\t')) i++;
        return i < bytes.length && (bytes[i] == '"' || bytes[i] == '}');
    }

    // ---- JSON ------------------------------------------------------------------------------------------

    private static Object readJson(byte[] bytes) {
        try (JsonParser p = JSON.createParser(bytes)) {
            p.nextToken();
            Object v = jsonValue(p, 0);
            if (p.nextToken() != null) throw new MalformedModelException("model JSON has trailing content after the top-level object");
            return v;
        } catch (JacksonException e) {
            throw new MalformedModelException("model JSON is not valid: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " at byte " + e.getLocation().getByteOffset() : ""));
        } catch (IOException e) {
            throw new MalformedModelException("model JSON cannot be read: " + e.getMessage());
        }
    }

    private static Object jsonValue(JsonParser p, int depth) throws IOException {
        JsonToken t = p.currentToken();
        if (t == null) throw new MalformedModelException("model JSON ends early");
        switch (t) {
            case START_OBJECT -> {
                checkDepth(depth);
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    p.nextToken();
                    m.put(key, jsonValue(p, depth + 1));
                }
                return m;
            }
            case START_ARRAY -> {
                checkDepth(depth);
                ArrayBuilder a = new ArrayBuilder();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
                        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                            throw new MalformedModelException("model JSON has an integer beyond 64 bits: " + p.getText());
                        }
                        a.addInteger(p.getLongValue());
                    } else if (p.currentToken() == JsonToken.VALUE_NUMBER_FLOAT) {
                        a.addFloat(parseFloat(p.getText()));
                    } else {
                        a.addOther(jsonValue(p, depth + 1));
                    }
                }
                return a.build();
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT -> {
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    throw new MalformedModelException("model JSON has an integer beyond 64 bits: " + p.getText());
                }
                return p.getLongValue();
            }
            case VALUE_NUMBER_FLOAT -> {
                return parseFloat(p.getText());
            }
            case VALUE_TRUE -> {
                return Boolean.TRUE;
            }
            case VALUE_FALSE -> {
                return Boolean.FALSE;
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw new MalformedModelException("model JSON has an unexpected " + t);
        }
    }

    /** Float32 straight from the decimal text, as XGBoost's reader does (from_chars into a float). */
    static float parseFloat(String text) {
        return switch (text) {
            case "NaN" -> Float.NaN;
            case "Infinity", "+Infinity" -> Float.POSITIVE_INFINITY;
            case "-Infinity" -> Float.NEGATIVE_INFINITY;
            default -> Float.parseFloat(text);
        };
    }

    private static void checkDepth(int depth) {
        if (depth >= MAX_DEPTH) throw new MalformedModelException("model nests deeper than " + MAX_DEPTH + " levels");
    }

    /** Collects an array's elements; an all-numeric array becomes a primitive array. */
    private static final class ArrayBuilder {
        private long[] ints = new long[16];
        private float[] floats = new float[16];
        private boolean anyFloat;
        private int n;
        private List<Object> others;

        void addInteger(long v) {
            if (others != null) {
                others.add(v);
                return;
            }
            grow();
            ints[n] = v;
            floats[n] = v;
            n++;
        }

        void addFloat(float v) {
            if (others != null) {
                others.add(v);
                return;
            }
            grow();
            floats[n] = v;
            n++;
            anyFloat = true;
        }

        void addOther(Object v) {
            if (others == null) {
                others = new ArrayList<>(n + 4);
                for (int i = 0; i < n; i++) others.add(anyFloat ? (Object) floats[i] : (Object) ints[i]);
            }
            others.add(v);
        }

        private void grow() {
            if (n == ints.length) {
                ints = java.util.Arrays.copyOf(ints, n * 2);
                floats = java.util.Arrays.copyOf(floats, n * 2);
            }
        }

        Object build() {
            if (others != null) return others;
            if (n == 0) return new long[0];
            return anyFloat ? java.util.Arrays.copyOf(floats, n) : java.util.Arrays.copyOf(ints, n);
        }
    }

    // ---- UBJSON ----------------------------------------------------------------------------------------

    /**
     * UBJSON (draft 12) as XGBoost writes it: big-endian numbers, strongly typed arrays ({@code [$d#L<n>...}),
     * count-optimised containers, object keys without the 'S' marker. Lengths may use any integer marker.
     */
    static final class Ubjson {
        private final byte[] b;
        private int pos;

        Ubjson(byte[] bytes) {
            this.b = bytes;
        }

        Object readDocument() {
            try {
                Object v = value(next(), 0);
                while (pos < b.length && b[pos] == 'N') pos++;
                if (pos != b.length) throw new MalformedModelException("model UBJ has trailing content at byte " + pos);
                return v;
            } catch (ArrayIndexOutOfBoundsException e) {
                throw new MalformedModelException("model UBJ ends early (truncated file?)");
            }
        }

        private byte next() {
            if (pos >= b.length) throw new MalformedModelException("model UBJ ends early (truncated file?)");
            return b[pos++];
        }

        private void need(long bytes) {
            if (bytes < 0 || bytes > b.length - pos) {
                throw new MalformedModelException("model UBJ declares " + bytes + " bytes at byte " + pos
                        + " but only " + (b.length - pos) + " remain (truncated or corrupt file)");
            }
        }

        private Object value(byte marker, int depth) {
            while (marker == 'N') marker = next();
            return switch (marker) {
                case '{' -> object(depth);
                case '[' -> array(depth);
                case 'Z' -> null;
                case 'T' -> Boolean.TRUE;
                case 'F' -> Boolean.FALSE;
                case 'd' -> Float.intBitsToFloat(int32());
                case 'D' -> (float) Double.longBitsToDouble(int64());
                case 'S' -> string();
                case 'H' -> parseFloat(string());
                case 'i', 'U', 'I', 'l', 'L', 'C' -> integer(marker);
                default -> throw new MalformedModelException("model UBJ has an unknown marker '" + printable(marker)
                        + "' at byte " + (pos - 1));
            };
        }

        private long integer(byte marker) {
            return switch (marker) {
                case 'i', 'C' -> { need(1); yield b[pos++]; }
                case 'U' -> { need(1); yield b[pos++] & 0xff; }
                case 'I' -> { need(2); yield (short) (((b[pos++] & 0xff) << 8) | (b[pos++] & 0xff)); }
                case 'l' -> int32();
                case 'L' -> int64();
                default -> throw new MalformedModelException("model UBJ expected an integer at byte " + (pos - 1)
                        + ", found '" + printable(marker) + "'");
            };
        }

        private int int32() {
            need(4);
            int v = ((b[pos] & 0xff) << 24) | ((b[pos + 1] & 0xff) << 16) | ((b[pos + 2] & 0xff) << 8) | (b[pos + 3] & 0xff);
            pos += 4;
            return v;
        }

        private long int64() {
            long hi = int32() & 0xffffffffL;
            long lo = int32() & 0xffffffffL;
            return (hi << 32) | lo;
        }

        private long length() {
            long n = integer(next());
            if (n < 0) throw new MalformedModelException("model UBJ has a negative length " + n + " at byte " + pos);
            return n;
        }

        private String string() {
            long n = length();
            need(n);
            String s = new String(b, pos, (int) n, java.nio.charset.StandardCharsets.UTF_8);
            pos += (int) n;
            return s;
        }

        private Object object(int depth) {
            checkDepth(depth);
            Map<String, Object> m = new LinkedHashMap<>();
            byte type = 0;
            long count = -1;
            if (peek() == '$') {
                pos++;
                type = next();
            }
            if (peek() == '#') {
                pos++;
                count = length();
                need(count); // every entry takes at least one byte
            } else if (type != 0) {
                throw new MalformedModelException("model UBJ has a typed object without a count at byte " + pos);
            }
            for (long i = 0; count < 0 ? peek() != '}' : i < count; i++) {
                String key = string();
                Object v = type != 0 ? value(type, depth + 1) : value(next(), depth + 1);
                if (m.containsKey(key)) throw new MalformedModelException("model UBJ repeats the key '" + key + "'");
                m.put(key, v);
            }
            if (count < 0) pos++; // '}'
            return m;
        }

        private Object array(int depth) {
            checkDepth(depth);
            byte type = 0;
            if (peek() == '$') {
                pos++;
                type = next();
                if (peek() != '#') throw new MalformedModelException("model UBJ has a typed array without a count at byte " + pos);
            }
            if (peek() == '#') {
                pos++;
                long count = length();
                if (type != 0) return typedArray(type, count);
                need(count);
                ArrayBuilder a = new ArrayBuilder();
                for (long i = 0; i < count; i++) add(a, value(next(), depth + 1));
                return a.build();
            }
            ArrayBuilder a = new ArrayBuilder();
            while (peek() != ']') add(a, value(next(), depth + 1));
            pos++;
            return a.build();
        }

        private static void add(ArrayBuilder a, Object v) {
            if (v instanceof Long l) a.addInteger(l);
            else if (v instanceof Float f) a.addFloat(f);
            else a.addOther(v);
        }

        private Object typedArray(byte type, long count) {
            int size = switch (type) {
                case 'i', 'U', 'C' -> 1;
                case 'I' -> 2;
                case 'l', 'd' -> 4;
                case 'L', 'D' -> 8;
                default -> throw new MalformedModelException("model UBJ has a typed array of unsupported type '"
                        + printable(type) + "' at byte " + pos);
            };
            if (count > Integer.MAX_VALUE / 8) throw new MalformedModelException("model UBJ array of " + count + " elements is too large");
            need(count * size);
            int n = (int) count;
            if (type == 'd' || type == 'D') {
                float[] out = new float[n];
                for (int i = 0; i < n; i++) out[i] = type == 'd' ? Float.intBitsToFloat(int32()) : (float) Double.longBitsToDouble(int64());
                return out;
            }
            long[] out = new long[n];
            for (int i = 0; i < n; i++) out[i] = integer(type);
            return out;
        }

        private byte peek() {
            if (pos >= b.length) throw new MalformedModelException("model UBJ ends early (truncated file?)");
            return b[pos];
        }

        private static String printable(byte c) {
            return c >= 32 && c < 127 ? String.valueOf((char) c) : String.format("0x%02x", c & 0xff);
        }
    }
}
