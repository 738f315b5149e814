package io.ranker.replay.ope;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WeightHistogramTest {
    @Test
    void weightsFallInTheirHalfOpenBinsAndZeroHasItsOwn() {
        WeightHistogram h = new WeightHistogram();
        for (double w : new double[] {0, 1e-9, 0.2499, 0.25, 0.79, 0.8, 1.0, 1.2499, 1.25, 3.99, 4, 99.9, 100, 1e6}) h.add(w);
        List<WeightHistogram.Bin> bins = h.bins();
        assertThat(bins).hasSize(10);
        assertThat(bins.stream().map(WeightHistogram.Bin::slots).toList()).containsExactly(1L, 2L, 1L, 1L, 3L, 1L, 1L, 1L, 1L, 2L);
        assertThat(bins.get(0)).isEqualTo(new WeightHistogram.Bin(0, 0.0, 1));
        assertThat(bins.get(1).from()).isZero();
        assertThat(bins.get(1).to()).isEqualTo(0.25);
        assertThat(bins.get(9).from()).isEqualTo(100);
        assertThat(bins.get(9).to()).isNull();
        // contiguous edges
        for (int i = 2; i < bins.size(); i++) assertThat(bins.get(i).from()).isEqualTo(bins.get(i - 1).to());
    }
}
