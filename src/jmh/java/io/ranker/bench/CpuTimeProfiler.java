package io.ranker.bench;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;

/**
 * CPU microseconds per operation of the forked benchmark JVM (all its threads: the benchmark thread, GC, JIT),
 * from the process CPU clock. On a machine shared with other work, wall-clock time per operation includes
 * time spent waiting for a core; CPU time does not, so ratios between benchmarks stay meaningful.
 * Use: {@code -prof io.ranker.bench.CpuTimeProfiler}.
 */
public class CpuTimeProfiler implements InternalProfiler {
    private long cpuStart;

    @Override
    public String getDescription() {
        return "process CPU time per operation";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        cpuStart = cpu();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        long cpu = cpu() - cpuStart;
        long ops = result.getMetadata().getMeasuredOps();
        double perOp = ops == 0 ? Double.NaN : cpu / 1e3 / ops;
        return List.of(new ScalarResult("cpu", perOp, "us(cpu)/op", AggregationPolicy.AVG));
    }

    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
