package io.ranker.features;

import java.nio.charset.StandardCharsets;

/** CRC16-CCITT (XModem), the checksum Redis Cluster uses for key slots; also Ranker's feature bucket hash. */
public final class Crc16 {
    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int crc = i << 8;
            for (int b = 0; b < 8; b++) crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            TABLE[i] = crc & 0xFFFF;
        }
    }

    private Crc16() {
    }

    public static int of(byte[] bytes, int from, int to) {
        int crc = 0;
        for (int i = from; i < to; i++) crc = ((crc << 8) ^ TABLE[((crc >>> 8) ^ bytes[i]) & 0xFF]) & 0xFFFF;
        return crc;
    }

    public static int of(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return of(b, 0, b.length);
    }

    /** The Redis Cluster slot of a key: CRC16 of its hash tag (the first non-empty {...}) or of the whole key, mod 16384. */
    public static int slot(String key) {
        byte[] b = key.getBytes(StandardCharsets.UTF_8);
        int open = -1;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '{') { open = i; break; }
        }
        if (open >= 0) {
            for (int j = open + 1; j < b.length; j++) {
                if (b[j] == '}') {
                    if (j > open + 1) return of(b, open + 1, j) & 16383;
                    break;
                }
            }
        }
        return of(b, 0, b.length) & 16383;
    }
}
