package io.ranker.features;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class FeatureCodecTest {

    @Test
    void roundTripsValuesVectorsAndTimestamp() {
        Random r = new Random(1);
        for (int trial = 0; trial < 200; trial++) {
            int n = r.nextInt(40);
            Map<String, Float> scalars = new java.util.LinkedHashMap<>();
            for (int i = 0; i < n; i++) scalars.put("f" + i, r.nextBoolean() ? Float.NaN : (float) r.nextGaussian());
            float[] vec = new float[r.nextInt(3) * 16];
            for (int i = 0; i < vec.length; i++) vec[i] = r.nextFloat();
            StoredFeatures f = StoredFeatures.of(r.nextLong() >>> 1, scalars, vec.length == 0 ? Map.of() : Map.of("v", vec));
            StoredFeatures back = FeatureCodec.decode(FeatureCodec.encode(f));
            assertThat(back.writtenAtMillis()).isEqualTo(f.writtenAtMillis());
            scalars.forEach((k, v) -> assertThat(back.get(k)).isEqualTo(v));
            assertThat(back.get("absent")).isNaN();
            if (vec.length > 0) assertThat(back.vector(FeatureCodec.nameId("v"))).containsExactly(vec);
        }
    }

    @Test
    void rejectsForeignBytes() {
        assertThatThrownBy(() -> FeatureCodec.decode(new byte[]{7, 1, 2})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FeatureCodec.decode(new byte[]{1, 1, 2})).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void crc16MatchesRedisClusterSpec() {
        assertThat(Crc16.of("123456789")).isEqualTo(0x31C3); // the check value in the Redis Cluster spec
        assertThat(Crc16.slot("{user1000}.following")).isEqualTo(Crc16.slot("{user1000}.followers"));
        assertThat(Crc16.slot("foo{}{bar}")).isEqualTo(Crc16.of("foo{}{bar}") & 16383);
        assertThat(Crc16.slot("foo{{bar}}zap")).isEqualTo(Crc16.of("{bar") & 16383);
        assertThat(Crc16.slot("foo")).isEqualTo(12182); // CLUSTER KEYSLOT foo
    }

    @Test
    void itemFeaturesAndCountersShareASlot() {
        FeatureKeys keys = new FeatureKeys(64);
        for (String id : new String[]{"a", "sku-17", "é"}) {
            assertThat(Crc16.slot(keys.item(id))).isEqualTo(Crc16.slot(keys.counters(id)));
            assertThat(keys.item(id)).isEqualTo("f:{" + keys.bucket(id) + "}:i:" + id);
        }
        java.util.Set<Integer> slots = new java.util.HashSet<>();
        for (int i = 0; i < 10_000; i++) slots.add(Crc16.slot(keys.item("item-" + i)));
        assertThat(slots).hasSizeLessThanOrEqualTo(64).hasSizeGreaterThan(60);
    }

    @Test
    void countersDecayWithHalfLife() {
        double hl = 1000;
        CounterCodec.Counts c = CounterCodec.add(null, 0, hl, 10, 2);
        c = CounterCodec.add(c, 1000, hl, 0, 0);
        assertThat(c.impressions()).isCloseTo(5, within(1e-9));
        assertThat(c.clicks()).isCloseTo(1, within(1e-9));
        // an out-of-order event is decayed to the stored time
        c = CounterCodec.add(c, 0, hl, 4, 0);
        assertThat(c.impressions()).isCloseTo(7, within(1e-9));
        assertThat(c.updatedAtMillis()).isEqualTo(1000);
        assertThat(CounterCodec.decode(CounterCodec.encode(c))).isEqualTo(c);
    }
}
