package io.ranker.explore;

import io.ranker.core.Candidate;
import io.ranker.core.FieldError;
import io.ranker.core.Placement;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-period exposure limit: counted over every list the explorers sharing one count store serve. */
class ExposureLimitTest {
    private final List<Candidate> ranked = Fixtures.candidates(30, "A", "B", "C", "D");

    private static int shows(List<SurfaceExplorer.Decision> decisions, String id) {
        int n = 0;
        for (SurfaceExplorer.Decision d : decisions) n += Fixtures.ids(d.exploration().shown()).contains(id) ? 1 : 0;
        return n;
    }

    @Test
    void twoExplorersSharingCountsShowAnItemAtMostTheLimitPerWindow() {
        // nearly uniform Plackett-Luce over all 30 candidates: without a limit c25 is in about a third of the lists
        ExplorerConfig cfg = new ExplorerConfig("plackett-luce", 1.0, 100.0, 10, 0, 0, 1.0, 10_000, 500, 12, true)
                .withExposureLimit(10, 60_000);
        AtomicLong now = new AtomicLong(120_000);
        LocalExposureCounts shared = new LocalExposureCounts(now::get);
        SurfaceExplorer a = new SurfaceExplorer("feed", cfg, new KillSwitch(), shared);
        SurfaceExplorer b = new SurfaceExplorer("feed", cfg, new KillSwitch(), shared);
        List<SurfaceExplorer.Decision> served = new ArrayList<>();
        for (int i = 0; i < 200; i++) served.add((i % 2 == 0 ? a : b).decide(ranked, Placement.NONE, 10, SeedDerivation.seedFor("i" + i)));
        for (String id : List.of("c25", "c26", "c29")) assertThat(shows(served, id)).as(id).isEqualTo(10);
        // the lists that kept c25 out logged it as not explorable, so replay reproduces them
        assertThat(served.get(199).exploration().notExplorable()).contains("c25");

        // without sharing, each explorer allows the limit: twice the exposure
        SurfaceExplorer lone1 = new SurfaceExplorer("feed", cfg, new KillSwitch(), new LocalExposureCounts(now::get));
        SurfaceExplorer lone2 = new SurfaceExplorer("feed", cfg, new KillSwitch(), new LocalExposureCounts(now::get));
        List<SurfaceExplorer.Decision> apart = new ArrayList<>();
        for (int i = 0; i < 200; i++) apart.add((i % 2 == 0 ? lone1 : lone2).decide(ranked, Placement.NONE, 10, SeedDerivation.seedFor("i" + i)));
        assertThat(shows(apart, "c25")).isEqualTo(20);

        // a new window allows the item again; previews never count
        now.addAndGet(60_000);
        for (int i = 0; i < 100; i++) a.decide(ranked, Placement.NONE, 10, SeedDerivation.seedFor("p" + i), false);
        assertThat(shared.count("feed", 60_000, "c25")).isZero();
        List<SurfaceExplorer.Decision> next = new ArrayList<>();
        for (int i = 0; i < 200; i++) next.add(a.decide(ranked, Placement.NONE, 10, SeedDerivation.seedFor("n" + i)));
        assertThat(shows(next, "c25")).isEqualTo(10);
    }

    @Test
    void aTopKPoolReadsCountsDeeperWhenTheBestAreAtTheLimit() {
        // top-k 5 over 30 candidates: the pool is the deterministic 3 plus the best others not at the limit
        ExplorerConfig cfg = new ExplorerConfig("plackett-luce", 1.0, 100.0, 10, 5, 0, 1.0, 10_000, 500, 12, true)
                .withExposureLimit(1, 60_000);
        List<List<String>> reads = new ArrayList<>();
        LocalExposureCounts inner = new LocalExposureCounts(() -> 0L);
        ExposureCounts recording = new ExposureCounts() {
            @Override
            public java.util.Set<String> atLimit(String surface, long periodMillis, int limit, java.util.Collection<String> ids) {
                reads.add(List.copyOf(ids));
                return inner.atLimit(surface, periodMillis, limit, ids);
            }

            @Override
            public void add(String surface, long periodMillis, List<String> shownIds) {
                inner.add(surface, periodMillis, shownIds);
            }
        };
        SurfaceExplorer s = new SurfaceExplorer("feed", cfg, new KillSwitch(), recording);
        Map<String, Integer> shows = new java.util.HashMap<>();
        for (int i = 0; i < 40; i++) {
            for (String id : Fixtures.ids(s.decide(ranked, Placement.NONE, 3, SeedDerivation.seedFor("k" + i)).exploration().shown())) {
                shows.merge(id, 1, Integer::sum);
            }
        }
        // the first three are the deterministic list (always in the pool); every other item at most once
        shows.remove("c0");
        shows.remove("c1");
        shows.remove("c2");
        assertThat(shows.values()).allMatch(n -> n == 1);
        assertThat(shows.size()).isGreaterThan(20);
        assertThat(reads.get(0)).hasSize(3 + 5 + 10); // limit + top-k + margin, one read while nothing is at the limit
        assertThat(reads.stream().mapToInt(List::size).max().orElse(0)).isLessThanOrEqualTo(30);
    }

    @Test
    void deterministicShowsCountButAreNeverPrevented() {
        // epsilon 0: the deterministic top 10 is shown every time; the limit keeps nothing out of a list it belongs to
        ExplorerConfig cfg = new ExplorerConfig("plackett-luce", 0.0, 1.0, 10, 0, 0, 1.0, 10_000, 500, 12, true)
                .withExposureLimit(3, 60_000);
        LocalExposureCounts counts = new LocalExposureCounts(() -> 0L);
        SurfaceExplorer s = new SurfaceExplorer("feed", cfg, new KillSwitch(), counts);
        for (int i = 0; i < 20; i++) assertThat(Fixtures.ids(s.decide(ranked, Placement.NONE, 10, i).exploration().shown())).contains("c0");
        assertThat(counts.count("feed", 60_000, "c0")).isEqualTo(20);
    }

    @Test
    void parsesTheLimitAndItsPeriodAndNamesMistakes() {
        Map<String, Object> yaml = new LinkedHashMap<>();
        yaml.put("type", "shuffle-top-n");
        yaml.put("exposure-limit", 1000);
        yaml.put("exposure-period", "10m");
        ExplorerConfig cfg = ExplorerConfigParser.parse(yaml, "/explorer");
        assertThat(cfg.exposureLimit()).isEqualTo(1000);
        assertThat(cfg.exposurePeriodMillis()).isEqualTo(600_000);
        yaml.put("exposure-period", 90);
        assertThat(ExplorerConfigParser.parse(yaml, "/explorer").exposurePeriodMillis()).isEqualTo(90_000);
        assertThat(ExplorerConfigParser.parse(Map.of("type", "none"), "/explorer").exposureLimited()).isFalse();

        yaml.put("exposure-limit", -1);
        yaml.put("exposure-period", "soon");
        List<FieldError> errors = new ArrayList<>();
        assertThat(ExplorerConfigParser.parse(yaml, "/explorer", errors)).isNull();
        assertThat(errors).extracting(FieldError::pointer).containsExactlyInAnyOrder("/explorer/exposure-limit", "/explorer/exposure-period");
    }
}
