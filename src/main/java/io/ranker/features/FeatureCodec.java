package io.ranker.features;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Binary value of an entity's features (little-endian):
 * <pre>
 *   u8  format (1)
 *   i64 written-at, epoch millis
 *   u16 n;  n x (i32 name id, f32 value)
 *   u8  v;  v x (i32 name id, u16 dim, dim x f32)
 * </pre>
 * Values are keyed by a name id (CRC32 of the UTF-8 feature name) rather than by schema position, so adding or
 * removing a feature in the schema never misreads stored values; unknown ids are ignored on read. A typical item
 * (a dozen values) takes about 110 bytes.
 */
public final class FeatureCodec {
    public static final byte FORMAT = 1;

    private FeatureCodec() {
    }

    public static int nameId(String name) {
        CRC32 crc = new CRC32();
        crc.update(name.getBytes(StandardCharsets.UTF_8));
        return (int) crc.getValue();
    }

    public static byte[] encode(StoredFeatures f) {
        int size = 1 + 8 + 2 + f.ids().length * 8 + 1;
        for (float[] v : f.vectors()) size += 6 + v.length * 4;
        if (f.ids().length > 65535 || f.vectors().length > 255) throw new IllegalArgumentException("too many values for one entity");
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.put(FORMAT).putLong(f.writtenAtMillis()).putShort((short) f.ids().length);
        for (int i = 0; i < f.ids().length; i++) b.putInt(f.ids()[i]).putFloat(f.values()[i]);
        b.put((byte) f.vectors().length);
        for (int i = 0; i < f.vectors().length; i++) {
            float[] v = f.vectors()[i];
            if (v.length > 65535) throw new IllegalArgumentException("vector too long");
            b.putInt(f.vectorIds()[i]).putShort((short) v.length);
            for (float x : v) b.putFloat(x);
        }
        return b.array();
    }

    /** @throws IllegalArgumentException for a value that is not in this format (the caller counts it as missing) */
    public static StoredFeatures decode(byte[] bytes) {
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            if (b.get() != FORMAT) throw new IllegalArgumentException("unknown feature value format " + bytes[0]);
            long ts = b.getLong();
            int n = Short.toUnsignedInt(b.getShort());
            int[] ids = new int[n];
            float[] vals = new float[n];
            for (int i = 0; i < n; i++) {
                ids[i] = b.getInt();
                vals[i] = b.getFloat();
            }
            int v = Byte.toUnsignedInt(b.get());
            int[] vids = new int[v];
            float[][] vecs = new float[v][];
            for (int i = 0; i < v; i++) {
                vids[i] = b.getInt();
                float[] vec = new float[Short.toUnsignedInt(b.getShort())];
                for (int j = 0; j < vec.length; j++) vec[j] = b.getFloat();
                vecs[i] = vec;
            }
            return new StoredFeatures(ts, ids, vals, vids, vecs);
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated feature value", e);
        }
    }
}
