package io.ranker.simulation;

import io.ranker.explore.ExplorerConfig;
import io.ranker.explore.ExplorerConfigParser;
import io.ranker.replay.ope.OpeReport;
import io.ranker.replay.ope.OpeSettings;
import io.ranker.scoring.XgboostScorer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

class SmokeSimTest {
    @TempDir
    Path dir;

    @Test
    void smoke() {
        long t0 = System.nanoTime();
        Map<String, Object> a = Map.of("type", "plackett-luce", "epsilon", 0.3, "temperature", 1.0, "top-k", 0);
        ExplorerConfig cfgA = ExplorerConfigParser.parse(a, "/explorer");
        ExplorerConfig cfgB = ExplorerConfigParser.parse(Map.of("type", "plackett-luce", "epsilon", 1.0, "temperature", 0.5, "top-k", 0), "/explorer");
        try (PipelineAssembly sim = PipelineAssembly.build(dir, Path.of("ranking-config"), 1000, 300, a)) {
            System.out.println("assembled ms " + (System.nanoTime() - t0) / 1e6);
            ClosedLoop loop = new ClosedLoop(sim, new DemoClickModel(sim.users(), 1.0), 5);
            t0 = System.nanoTime();
            XgboostScorer ref = ReferenceModel.train(loop, 2000, 1);
            System.out.println("reference ms " + (System.nanoTime() - t0) / 1e6);
            t0 = System.nanoTime();
            ClosedLoop.TrueValue tA = loop.trueValue(null, cfgA);
            ClosedLoop.TrueValue tB = loop.trueValue(ref, cfgB);
            ClosedLoop.TrueValue tBdet = loop.trueValue(ref, ExplorerConfig.DISABLED);
            System.out.println("truth ms " + (System.nanoTime() - t0) / 1e6 + " A=" + tA + " B=" + tB + " Bdet=" + tBdet);
            t0 = System.nanoTime();
            ExplorationRun.Result run = ExplorationRun.run(loop, null, cfgA, ref, cfgB, 2000, 1, dir.resolve("logs-1"));
            System.out.println("run ms " + (System.nanoTime() - t0) / 1e6 + " clicks " + run.clicks());
            t0 = System.nanoTime();
            OpeReport rep = OffPolicyExperiment.estimate(run, cfgA, cfgB, OpeSettings.defaults().withReplicates(300));
            System.out.println("estimate ms " + (System.nanoTime() - t0) / 1e6 + " " + rep);
        }
    }
}
