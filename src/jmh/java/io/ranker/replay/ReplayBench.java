package io.ranker.replay;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.ranker.explore.ExplorerConfig;
import io.ranker.logging.ImpressionRecord;
import io.ranker.logging.LogEntry;
import io.ranker.logging.LogJson;
import io.ranker.logging.LogReader;
import org.openjdk.jmh.annotations.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Replay on one thread over ServedLog's log (candidate sets of 100 with 3 features and 4 attributes, lists of 10,
 * ~25 KB of JSON per impression):
 * <ul>
 *   <li>decoding one impression record: ours ({@code LogEntry.impression()}, streaming) against data binding as
 *   replay used it before (the same mapper settings), a plain Jackson tree parse of the same bytes, and the bare
 *   tokenizer (every token read, nothing built: the floor for any Jackson-based JSON decoder);</li>
 *   <li>the whole replay per impression (read, decode, re-rank, deterministic explorer, estimators, report), with
 *   the logged Plackett-Luce explorer replaced by none (item-position estimators only) and as logged.</li>
 * </ul>
 * Run: {@code mvn -B -Pjmh test-compile exec:exec -Djmh.args="ReplayBench -prof io.ranker.bench.CpuTimeProfiler"}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class ReplayBench {
    static final int IMPRESSIONS = 500;

    /** LogJson.MAPPER as it was before the streaming decoder (no fast double parser). */
    static final ObjectMapper BEFORE = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    static final ObjectMapper PLAIN = new ObjectMapper();

    Path root;
    ReplaySources deterministic;
    ReplaySources asLogged;
    List<LogEntry> entries;
    int i;

    @Setup
    public void setup() throws Exception {
        root = Files.createTempDirectory("replay-bench");
        ServedLog served = new ServedLog(root);
        served.serve(IMPRESSIONS, 21, 1.0);
        asLogged = served.sources();
        deterministic = asLogged.withExplorer(ExplorerConfig.DISABLED);
        try (var s = LogReader.of(asLogged.logDirs()).stream()) {
            entries = s.filter(LogEntry::isImpression).toList();
        }
    }

    @TearDown
    public void tearDown() throws Exception {
        try (var s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private byte[] next() {
        return entries.get(i++ % entries.size()).payload();
    }

    @Benchmark
    public ImpressionRecord decodeOurs() {
        return entries.get(i++ % entries.size()).impression();
    }

    @Benchmark
    public ImpressionRecord decodeDataBindingBefore() throws Exception {
        return BEFORE.readValue(next(), ImpressionRecord.class);
    }

    @Benchmark
    public Object decodeJacksonTree() throws Exception {
        return PLAIN.readTree(next());
    }

    @Benchmark
    public int tokenizeOnly() throws Exception {
        int n = 0;
        try (JsonParser p = LogJson.MAPPER.getFactory().createParser(next())) {
            while (p.nextToken() != null) n++;
        }
        return n;
    }

    /** Per impression: the whole replay of the log divided by its impressions (a run takes 0.1-1 s: longer iterations). */
    @Benchmark
    @OperationsPerInvocation(IMPRESSIONS)
    @Warmup(iterations = 3, time = 5)
    @Measurement(iterations = 5, time = 5)
    public Object replayItemPositionDeterministic() {
        return new ReplayRun(deterministic, ReplayRequest.of("feed")).run(null);
    }

    @Benchmark
    @OperationsPerInvocation(IMPRESSIONS)
    @Warmup(iterations = 3, time = 5)
    @Measurement(iterations = 5, time = 5)
    public Object replayAsLoggedPlackettLuceMonteCarlo() {
        return new ReplayRun(asLogged, ReplayRequest.of("feed")).run(null);
    }
}
