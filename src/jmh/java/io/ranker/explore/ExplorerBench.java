package io.ranker.explore;

import io.ranker.core.Explorer;
import io.ranker.core.Exploration;
import io.ranker.core.Candidate;
import io.ranker.core.Placement;
import org.openjdk.jmh.annotations.*;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** explore() over 500 ranked candidates, 10 shown: none, shuffle-top-10, Plackett-Luce over all 500 (MC 1000 / 2000). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ExplorerBench {
    List<Candidate> ranked;
    long seed;
    final Explorer shuffle = new ShuffleTopNExplorer(10);
    final Explorer pl1000 = new PlackettLuceExplorer(1.0, 0, 0, 1000, 12);
    final Explorer pl2000 = new PlackettLuceExplorer(1.0, 0, 0, 2000, 12);
    final Explorer pl2000top30 = new PlackettLuceExplorer(1.0, 30, 0, 2000, 12);

    @Setup
    public void setup() {
        ranked = Fixtures.candidates(500, "A", "B", "C", "D", "E", "F", "G");
        for (int i = 0; i < ranked.size(); i++) ranked.get(i).setScore(3.0 - 6.0 * i / ranked.size());
    }

    @Benchmark
    public Exploration none() { return NoExplorer.INSTANCE.explore(ranked, Placement.NONE, 10, seed++); }

    @Benchmark
    public Exploration shuffleTop10() { return shuffle.explore(ranked, Placement.NONE, 10, seed++); }

    @Benchmark
    public Exploration plackettLuce500Mc1000() { return pl1000.explore(ranked, Placement.NONE, 10, seed++); }

    @Benchmark
    public Exploration plackettLuce500Mc2000() { return pl2000.explore(ranked, Placement.NONE, 10, seed++); }

    @Benchmark
    public Exploration plackettLuceTop30Mc2000() { return pl2000top30.explore(ranked, Placement.NONE, 10, seed++); }
}
