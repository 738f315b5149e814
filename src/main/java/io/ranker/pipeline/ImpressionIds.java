package io.ranker.pipeline;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Impression ids: time-ordered (UUIDv7 layout: 48-bit millisecond timestamp, then random bits), so logs sort
 * by time and ids never collide across replicas. The serving pipeline appends a signature
 * ({@link io.ranker.auth.ImpressionSigner}), so feedback can be checked without a lookup.
 */
public final class ImpressionIds {
    private static final SecureRandom RANDOM = new SecureRandom();

    private ImpressionIds() {
    }

    public static String next() {
        long millis = System.currentTimeMillis();
        long rand = RANDOM.nextLong();
        long msb = (millis << 16) | 0x7000L | (rand & 0x0FFFL);
        long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }
}
