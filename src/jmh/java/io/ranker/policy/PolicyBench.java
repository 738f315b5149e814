package io.ranker.policy;

import io.ranker.core.PolicyStage;
import io.ranker.core.Candidate;
import io.ranker.core.RankingContext;
import org.openjdk.jmh.annotations.*;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/** 20 rules (PolicyBenchmarkTest's set: every rule type) over 500 candidates vs the no-rules stage (copy + sort). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class PolicyBench {
    CompiledPolicy policy;
    List<Candidate> candidates;
    double[] scores;
    RankingContext ctx;

    @Setup
    public void setup() {
        InMemorySeenItems seen = new InMemorySeenItems(200);
        for (int i = 0; i < 50; i++) seen.record("u1", "i" + (i * 7), "shown", PolicyFixtures.NOW.toEpochMilli() - i * 60_000L);
        policy = PolicyFixtures.compile(PolicyBenchmarkTest.RULES, seen);
        candidates = PolicyBenchmarkTest.candidates(new Random(1), 500);
        scores = candidates.stream().mapToDouble(Candidate::score).toArray();
        ctx = PolicyFixtures.ctx("u1", Map.of("segment", "vip", "age_group", "minor"), false);
    }

    private int run(PolicyStage stage) {
        for (int i = 0; i < scores.length; i++) {
            Candidate c = candidates.get(i);
            c.setScore(scores[i]);
            c.trace().clear();
        }
        return stage.apply(ctx, candidates).ranked().size();
    }

    @Benchmark
    public int noRules() { return run(PolicyStage.NONE); }

    @Benchmark
    public int twentyRules() { return run(policy); }
}
