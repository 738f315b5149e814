package io.ranker.progress;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressTest {
    static final long S = 1_000_000_000L;

    @Test
    void lineShowsShareCountRateAndEta() {
        // 25% of the bytes in 10 s at 1,200 items/s: the rest takes 30 s
        assertThat(Progress.line("index", "items", 250, 1000, 12_000, 10.0)).isEqualTo("index: 25% · 12,000 items · 1,200 items/s · ETA 30s");
        assertThat(Progress.line("replay", "impressions", 1, 3, 50, 100.0)).isEqualTo("replay: 33% · 50 impressions · 0.50 impressions/s · ETA 3m 20s");
        // unknown total: no share, no ETA
        assertThat(Progress.line("train", "groups", 0, -1, 420, 6.0)).isEqualTo("train: 420 groups · 70.0 groups/s");
        // nothing done yet: no ETA from a zero rate
        assertThat(Progress.line("index", "items", 0, 1000, 0, 2.0)).isEqualTo("index: 0% · 0 items · 0.00 items/s");
        assertThat(Progress.finished("index", "items", 90_000, 7384.0)).isEqualTo("index: done, 90,000 items in 2h 03m (12.2 items/s)");
    }

    @Test
    void barAndDurations() {
        assertThat(Progress.bar(50, 100)).isEqualTo("[############............]");
        assertThat(Progress.bar(200, 100)).isEqualTo("[########################]");
        assertThat(Progress.bar(5, -1)).isEqualTo("[????????????????????????]");
        assertThat(Progress.duration(59.4)).isEqualTo("59s");
        assertThat(Progress.duration(187)).isEqualTo("3m 07s");
        assertThat(Progress.duration(7500)).isEqualTo("2h 05m");
    }

    @Test
    void plainLinesComeAtMostOncePerIntervalAndEndWithASummary() {
        AtomicLong clock = new AtomicLong(0);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Progress p = new Progress("features load", "rows", 100, new PrintStream(bytes, true, StandardCharsets.UTF_8), false, clock::get, 10 * S)) {
            for (int i = 1; i <= 100; i++) {
                clock.addAndGet(S / 2); // 2 rows a second
                p.step(1);
            }
            p.finish();
        }
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        // 50 s of work: lines at 10, 20, 30, 40, 50 s, then the summary
        assertThat(lines).hasSize(6);
        assertThat(lines[0]).isEqualTo("features load: 20% · 20 rows · 2.00 rows/s · ETA 40s");
        assertThat(lines[3]).isEqualTo("features load: 80% · 80 rows · 2.00 rows/s · ETA 10s");
        assertThat(lines[5]).isEqualTo("features load: done, 100 rows in 50s (2.00 rows/s)");
    }

    @Test
    void aTerminalGetsABarRedrawnInPlace() {
        AtomicLong clock = new AtomicLong(0);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Progress p = new Progress("index", "items", 1000, new PrintStream(bytes, true, StandardCharsets.UTF_8), true, clock::get, S / 5);
        clock.set(S);
        p.update(500, 4000);
        p.finish();
        p.close();
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).startsWith("\r[############............] index: 50% · 4,000 items · 4,000 items/s · ETA 1s\u001b[K")
                .endsWith("\rindex: done, 4,000 items in 1s (4,000 items/s)\u001b[K\n");
        assertThat(out.chars().filter(c -> c == '\n').count()).isEqualTo(1); // one line in the end, not one per redraw
    }

    @Test
    void quickWorkPrintsNothing() {
        AtomicLong clock = new AtomicLong(0);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Progress p = new Progress("index", "items", 10, new PrintStream(bytes, true, StandardCharsets.UTF_8), false, clock::get, 10 * S)) {
            clock.set(S);
            p.step(10);
            p.finish();
        }
        assertThat(bytes.size()).isZero();
    }

    @Test
    void failedWorkEndsTheBarWithoutClaimingItIsDone() {
        AtomicLong clock = new AtomicLong(0);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Progress p = new Progress("index", "items", 1000, new PrintStream(bytes, true, StandardCharsets.UTF_8), true, clock::get, S / 5)) {
            clock.set(S);
            p.update(100, 800);
        }
        assertThat(bytes.toString(StandardCharsets.UTF_8)).endsWith("[K\n").doesNotContain("done");
    }

    @Test
    void countingStreamCountsEveryByteRead() throws Exception {
        try (CountingInputStream in = new CountingInputStream(new ByteArrayInputStream(new byte[10_000]))) {
            assertThat(in.read()).isZero();
            assertThat(in.read(new byte[4096], 0, 4096)).isEqualTo(4096);
            assertThat(in.skip(100)).isEqualTo(100);
            in.readAllBytes();
            assertThat(in.count()).isEqualTo(10_000);
        }
    }

    @Test
    void aServiceLogGetsPlainLines() {
        AtomicLong clock = new AtomicLong(0);
        java.util.List<String> log = new java.util.ArrayList<>();
        Progress p = Progress.logged("seeding the demo catalog", "items", 200_000, log::add, clock::get);
        clock.set(12 * S);
        p.update(60_000, 60_000);
        clock.set(40 * S);
        p.update(200_000, 200_000);
        p.finish();
        assertThat(log).containsExactly("seeding the demo catalog: 30% · 60,000 items · 5,000 items/s · ETA 28s",
                "seeding the demo catalog: 100% · 200,000 items · 5,000 items/s",
                "seeding the demo catalog: done, 200,000 items in 40s (5,000 items/s)");
    }
}
