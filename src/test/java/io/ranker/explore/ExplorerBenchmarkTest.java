package io.ranker.explore;

import io.ranker.core.Explorer;
import io.ranker.core.CapConstraint;
import io.ranker.core.Candidate;
import io.ranker.core.Placement;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Micro benchmark: ns per explore call for 500 candidates, top 10. Prints a table; asserts only a generous
 * ceiling so a shared, slow CI machine does not fail it. Not a JMH harness: read the figures as ratios.
 */
@Tag("bench") // wall-clock floor: mvn -Pbench test, not the default suite
class ExplorerBenchmarkTest {

    @Test
    void nanosPerExploreCall() {
        List<Candidate> ranked = Fixtures.candidates(500, "A", "B", "C", "D", "E", "F", "G");
        for (int i = 0; i < ranked.size(); i++) ranked.get(i).setScore(3.0 - 6.0 * i / ranked.size());
        Placement capped = new Placement(Map.of(4, "c40"), List.of(new CapConstraint("cap", "brand", 2, 10)));
        Object[][] cases = {
                {"none", NoExplorer.INSTANCE, Placement.NONE},
                {"shuffle-top-10 (closed form)", new ShuffleTopNExplorer(10), Placement.NONE},
                {"plackett-luce pool 12 (exact DP)", new PlackettLuceExplorer(1.0, 12, 0, 1000, 12), Placement.NONE},
                {"plackett-luce pool 500 (MC 1000)", new PlackettLuceExplorer(1.0, 0, 0, 1000, 12), Placement.NONE},
                {"plackett-luce pool 500 (MC 1000) pin+cap", new PlackettLuceExplorer(1.0, 0, 0, 1000, 12), capped},
                {"mixture eps=0.1 + PL pool 500 (MC 1000)", new MixtureExplorer(0.1, new PlackettLuceExplorer(1.0, 0, 0, 1000, 12)), Placement.NONE},
                {"plackett-luce pool 50 (MC 2000, default)", new PlackettLuceExplorer(1.0, 50, 0, 2000, 12), Placement.NONE},
                {"plackett-luce pool 50 (MC 2000) pin+cap", new PlackettLuceExplorer(1.0, 50, 0, 2000, 12), capped},
                {"mixture eps=0.1 + PL pool 50 (MC 2000)", new MixtureExplorer(0.1, new PlackettLuceExplorer(1.0, 50, 0, 2000, 12)), Placement.NONE},
        };
        StringBuilder table = new StringBuilder("\nexplore() for 500 candidates, limit 10:\n");
        double none = 0;
        for (Object[] c : cases) {
            Explorer explorer = (Explorer) c[1];
            Placement placement = (Placement) c[2];
            double ns = measure(explorer, ranked, placement);
            if (none == 0) none = ns;
            table.append(String.format("  %-44s %,12.0f ns CPU/call  (%.1fx none)%n", c[0], ns, ns / none));
            assertThat(ns).as("%s", c[0]).isLessThan(50_000_000);
        }
        System.out.println(table);
    }

    /** CPU time of this thread, so the figure survives a machine shared with other builds. */
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    private static double measure(Explorer explorer, List<Candidate> ranked, Placement placement) {
        long sink = 0;
        long deadline = THREADS.getCurrentThreadCpuTime() + 150_000_000L; // warm-up
        int seed = 0;
        while (THREADS.getCurrentThreadCpuTime() < deadline) sink += explorer.explore(ranked, placement, 10, seed++).shown().size();
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            int calls = 0;
            long start = THREADS.getCurrentThreadCpuTime();
            long end = start + 60_000_000L;
            long now;
            do {
                sink += explorer.explore(ranked, placement, 10, seed++).shown().size();
                calls++;
                now = THREADS.getCurrentThreadCpuTime();
            } while (now < end);
            best = Math.min(best, (double) (now - start) / calls);
        }
        if (sink == 42) System.out.println(); // keep the results alive
        return best;
    }
}
