package io.ranker.pipeline;

import java.nio.charset.StandardCharsets;

/** The request seed is a function of the impression id alone, so replaying an impression reproduces its list. */
public final class Seeds {
    private Seeds() {
    }

    /** 64-bit FNV-1a of the id, then a SplitMix64 finalizer to spread similar ids apart. */
    public static long forImpression(String impressionId) {
        long h = 0xcbf29ce484222325L;
        for (byte b : impressionId.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 30;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 27;
        h *= 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }
}
