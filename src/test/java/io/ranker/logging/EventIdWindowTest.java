package io.ranker.logging;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EventIdWindowTest {
    @Test
    void remembersIdsWithinTheHorizonAndForgetsOlderOnes() {
        EventIdWindow w = new EventIdWindow(1_000, 100);
        assertThat(w.firstTime("a", 0)).isTrue();
        assertThat(w.firstTime("a", 999)).isFalse();
        assertThat(w.firstTime("b", 1_500)).isTrue(); // "a" (t=0) is now beyond the horizon
        assertThat(w.firstTime("a", 1_500)).isTrue();
        assertThat(w.size()).isEqualTo(2);
    }

    @Test
    void keepsAtMostMaxIdsDroppingTheOldest() {
        EventIdWindow w = new EventIdWindow(Long.MAX_VALUE / 4, 3_000);
        for (int i = 0; i < 10_000; i++) assertThat(w.firstTime("ev-" + i, i)).isTrue();
        assertThat(w.size()).isEqualTo(3_000);
        assertThat(w.firstTime("ev-9999", 10_000)).isFalse();
        assertThat(w.firstTime("ev-0", 10_000)).isTrue();
    }
}
