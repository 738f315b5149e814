package io.ranker.features;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Binary value of an item's real-time counters: three little-endian float64 (decayed impressions, decayed clicks,
 * time of the last update in epoch millis). Redis updates it atomically with {@link #UPDATE_SCRIPT}; the in-memory
 * store applies the same arithmetic in {@link #add}.
 */
public final class CounterCodec {

    /** Decayed counts as of {@code updatedAtMillis}. */
    public record Counts(double impressions, double clicks, double updatedAtMillis) {
        /** The counts decayed to {@code now} (exponential decay with the given half-life). */
        public Counts at(long now, double halfLifeMillis) {
            if (now <= updatedAtMillis) return this;
            double f = Math.pow(2, -(now - updatedAtMillis) / halfLifeMillis);
            return new Counts(impressions * f, clicks * f, now);
        }
    }

    /**
     * KEYS[1] counter key; ARGV: now millis, half-life millis, impressions to add, clicks to add, ttl millis.
     * An event older than the stored state is decayed to the stored time instead (out-of-order delivery).
     * Clicks never exceed impressions: a click whose impression was not counted (lost, or made up) cannot push the
     * click rate above 1.
     */
    public static final String UPDATE_SCRIPT = String.join("\n",
            "local v = redis.call('GET', KEYS[1])",
            "local now = tonumber(ARGV[1]); local hl = tonumber(ARGV[2])",
            "local di = tonumber(ARGV[3]); local dc = tonumber(ARGV[4])",
            "local imp, clk, ts = 0, 0, now",
            "if v and string.len(v) == 24 then imp, clk, ts = struct.unpack('<ddd', v) end",
            "if now >= ts then",
            "  local f = math.pow(2, -(now - ts) / hl); imp = imp * f + di; clk = clk * f + dc; ts = now",
            "else",
            "  local f = math.pow(2, -(ts - now) / hl); imp = imp + di * f; clk = clk + dc * f",
            "end",
            "if clk > imp then clk = imp end",
            "redis.call('SET', KEYS[1], struct.pack('<ddd', imp, clk, ts), 'PX', ARGV[5])",
            "return 1");

    private CounterCodec() {
    }

    public static byte[] encode(Counts c) {
        return ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN)
                .putDouble(c.impressions()).putDouble(c.clicks()).putDouble(c.updatedAtMillis()).array();
    }

    public static Counts decode(byte[] b) {
        if (b == null || b.length != 24) return null;
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        return new Counts(buf.getDouble(), buf.getDouble(), buf.getDouble());
    }

    /** Same arithmetic as {@link #UPDATE_SCRIPT}, clamp included. */
    public static Counts add(Counts old, long now, double halfLifeMillis, double impressions, double clicks) {
        if (old == null) return new Counts(impressions, Math.min(clicks, impressions), now);
        if (now >= old.updatedAtMillis()) {
            Counts d = old.at(now, halfLifeMillis);
            double imp = d.impressions() + impressions;
            return new Counts(imp, Math.min(d.clicks() + clicks, imp), now);
        }
        double f = Math.pow(2, -(old.updatedAtMillis() - now) / halfLifeMillis);
        double imp = old.impressions() + impressions * f;
        return new Counts(imp, Math.min(old.clicks() + clicks * f, imp), old.updatedAtMillis());
    }
}
