package io.ranker.scoring;

import java.nio.charset.StandardCharsets;

/**
 * Sticky, salted assignment of users to traffic slices: a user's position in [0, 1) depends only on the salt
 * and the user id, so the same user always lands in the same canary/experiment arm, and changing the salt
 * reshuffles everyone. FNV-1a over the UTF-8 bytes, finished with MurmurHash3's 64-bit mixer so nearby ids
 * ("user-1", "user-2") spread uniformly.
 */
public final class UserBucketing {
    private UserBucketing() {
    }

    /** A uniform position in [0, 1) for (salt, userId). */
    public static double position(String salt, String userId) {
        long h = 0xcbf29ce484222325L;
        h = mix(h, salt.getBytes(StandardCharsets.UTF_8));
        h = (h ^ 0x1f) * 0x100000001b3L; // separator, so ("ab","c") != ("a","bc")
        h = mix(h, userId.getBytes(StandardCharsets.UTF_8));
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (h >>> 11) * 0x1.0p-53;
    }

    private static long mix(long h, byte[] bytes) {
        for (byte b : bytes) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
