package io.ranker.logging;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Run in a child JVM by {@link CrashDurabilityTest}: appends impressions and feedback as fast as it can
 * and prints each id once its append has returned true, until it is killed with SIGKILL.
 */
public final class CrashChild {
    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        // a long fsync interval: durability against kill -9 must come from write(2), not from fsync
        LogConfig cfg = LogConfig.defaults(dir).withFsyncInterval(Duration.ofSeconds(30)).withSegmentMaxBytes(512 << 10);
        SegmentImpressionLog log = new SegmentImpressionLog(cfg);
        System.out.println("READY");
        System.out.flush();
        for (long i = 0; ; i++) {
            String id = "imp-" + i;
            boolean ok = i % 5 == 4
                    ? log.append(SampleRecords.click("imp-" + (i - 1), "item", System.currentTimeMillis()))
                    : log.append(SampleRecords.impression(id, System.currentTimeMillis()));
            if (ok) {
                System.out.println((i % 5 == 4 ? "F " : "I ") + id);
                System.out.flush();
            }
        }
    }
}
