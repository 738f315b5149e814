package io.ranker.logging;

import io.ranker.core.DomainException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Replica-aware segments and the merge reader: one log root shared by several replicas reads as one log. */
class MultiReplicaLogTest {
    @TempDir
    Path root;

    private static List<LogEntry> read(LogReader reader) {
        try (Stream<LogEntry> s = reader.stream()) {
            return s.collect(Collectors.toList());
        }
    }

    private static LogConfig replica(Path root, String id) {
        return LogConfig.forReplica(root, id).withCompress(false);
    }

    @Test
    void eachReplicaWritesUnderItsOwnDirectoryWithItsIdInSegmentNamesAndRecords() throws Exception {
        try (SegmentImpressionLog a = new SegmentImpressionLog(replica(root, "pod-a"));
             SegmentImpressionLog b = new SegmentImpressionLog(replica(root, "pod-b"))) {
            a.append(SampleRecords.impression("a-1", 1_000));
            b.append(SampleRecords.impression("b-1", 1_500));
            a.append(SampleRecords.click("b-1", "x", 2_000)); // feedback for B's impression received by A
        }
        List<SegmentFile> aSegs = SegmentFile.list(root.resolve("pod-a"));
        assertThat(aSegs).hasSize(1);
        assertThat(aSegs.get(0).name()).matches("segment-0000000001-\\d+-pod-a\\.log");
        assertThat(aSegs.get(0).replica()).isEqualTo("pod-a");
        assertThat(SegmentFile.list(root.resolve("pod-b")).get(0).name()).matches("segment-0000000001-\\d+-pod-b\\.log");
        assertThat(SegmentFile.list(root)).as("nothing directly in the root").isEmpty();

        List<LogEntry> all = read(LogReader.of(root));
        assertThat(all).extracting(LogEntry::impressionId).containsExactly("a-1", "b-1", "b-1");
        assertThat(all).extracting(LogEntry::replica).containsExactly("pod-a", "pod-b", "pod-a");
        assertThat(all.get(0).json()).startsWith("{\"kind\":\"impression\",\"replica\":\"pod-a\",\"impressionId\":\"a-1\"");
        assertThat(all.get(2).json()).startsWith("{\"kind\":\"feedback\",\"replica\":\"pod-a\"");
        assertThat(all.get(2).feedback()).isEqualTo(SampleRecords.click("b-1", "x", 2_000));
    }

    /** Property: whatever the interleaving, the output is every record once, in time order, each replica's in its order. */
    @Test
    void mergesReplicasByTimeKeepingEachReplicasOrder() throws Exception {
        for (int seed = 1; seed <= 5; seed++) {
            Path r = Files.createDirectory(root.resolve("seed-" + seed));
            Random rnd = new Random(seed);
            int replicas = 2 + rnd.nextInt(4);
            Map<String, List<String>> written = new HashMap<>();
            for (int k = 0; k < replicas; k++) {
                String id = "r" + k;
                // small segments: a replica's records span several segments, some compressed
                LogConfig cfg = LogConfig.forReplica(r, id).withSegmentMaxBytes(8_000).withCompress(k % 2 == 0);
                // record times shortly before the segments open (as served), so the time window's segment skip applies
                long ts = System.currentTimeMillis() - 120_000 + rnd.nextInt(1000);
                List<String> ids = new ArrayList<>();
                try (SegmentImpressionLog log = new SegmentImpressionLog(cfg)) {
                    for (int i = 0, n = 20 + rnd.nextInt(60); i < n; i++) {
                        ts += rnd.nextInt(50); // ties across replicas happen
                        String imp = id + "-" + i;
                        log.append(SampleRecords.impression(imp, ts));
                        ids.add(imp);
                    }
                    log.awaitHousekeeping();
                }
                written.put(id, ids);
            }
            LogReader reader = LogReader.of(r);
            List<LogEntry> all = read(reader);
            assertThat(all).hasSize(written.values().stream().mapToInt(List::size).sum());
            for (int i = 1; i < all.size(); i++) {
                assertThat(all.get(i).timestamp()).as("seed %d record %d", seed, i).isGreaterThanOrEqualTo(all.get(i - 1).timestamp());
            }
            for (var e : written.entrySet()) {
                assertThat(all.stream().filter(x -> x.replica().equals(e.getKey())).map(LogEntry::impressionId).toList())
                        .containsExactlyElementsOf(e.getValue());
            }
            assertThat(reader.replicas()).hasSize(replicas);
            assertThat(reader.problems()).isEmpty();
            // a time window applies to every replica
            long from = all.get(all.size() / 4).timestamp(), to = all.get(3 * all.size() / 4).timestamp();
            assertThat(read(LogReader.of(r).between(from, to))).extracting(LogEntry::impressionId).containsExactlyElementsOf(
                    all.stream().filter(x -> x.timestamp() >= from && x.timestamp() < to).map(LogEntry::impressionId).toList());
        }
    }

    @Test
    void theOldSingleReplicaLayoutStaysReadableNextToReplicaDirectories() throws Exception {
        try (SegmentImpressionLog old = new SegmentImpressionLog(LogConfig.defaults(root).withCompress(false))) {
            old.append(SampleRecords.impression("old-1", 1_000));
            old.append(SampleRecords.impression("old-2", 3_000));
        }
        assertThat(SegmentFile.list(root).get(0).name()).matches("segment-0000000001-\\d+\\.log");
        try (SegmentImpressionLog now = new SegmentImpressionLog(replica(root, "r1"))) {
            now.append(SampleRecords.impression("new-1", 2_000));
        }
        List<LogEntry> all = read(LogReader.of(root));
        assertThat(all).extracting(LogEntry::impressionId).containsExactly("old-1", "new-1", "old-2");
        assertThat(all).extracting(LogEntry::replica).containsExactly("", "r1", "");
        assertThat(all.get(0).json()).doesNotContain("\"replica\"");
    }

    @Test
    void segmentsOfTwoReplicasCopiedIntoOneFolderAreBothRead() throws Exception {
        for (String id : List.of("a", "b")) {
            try (SegmentImpressionLog log = new SegmentImpressionLog(replica(root, id))) {
                for (int i = 0; i < 3; i++) log.append(SampleRecords.impression(id + i, 1_000 + i));
            }
        }
        Path flat = Files.createDirectory(root.resolveSibling(root.getFileName() + "-flat"));
        for (String id : List.of("a", "b")) {
            for (SegmentFile f : SegmentFile.list(root.resolve(id))) Files.copy(f.path(), flat.resolve(f.name()));
        }
        assertThat(SegmentFile.list(flat)).extracting(SegmentFile::seq).containsExactly(1L, 1L); // both numbered from 1
        assertThat(read(LogReader.of(flat))).hasSize(6);
        // the live root and its copy given together: each segment once
        assertThat(read(LogReader.of(List.of(root, flat)))).hasSize(6);
    }

    @Test
    void aFeedbackEventLoggedByTwoReplicasIsReadOnce() throws Exception {
        try (SegmentImpressionLog a = new SegmentImpressionLog(replica(root, "a"));
             SegmentImpressionLog b = new SegmentImpressionLog(replica(root, "b"))) {
            a.append(SampleRecords.impression("imp", 1_000));
            a.append(new FeedbackEvent("imp", "x", "click", null, 2_000, "ev-1", 2_000));
            b.append(new FeedbackEvent("imp", "x", "click", null, 2_000, "ev-1", 2_050)); // the client's retry
            b.append(new FeedbackEvent("imp", "x", "click", null, 2_100, null, 2_100)); // no id: cannot be deduped
        }
        LogReader reader = LogReader.of(root);
        assertThat(read(reader).stream().filter(LogEntry::isFeedback).count()).isEqualTo(2);
        assertThat(reader.duplicatesSkipped()).isEqualTo(1);
        assertThat(read(LogReader.of(root).keepDuplicates()).stream().filter(LogEntry::isFeedback).count()).isEqualTo(3);
    }

    @Test
    void anEmptyOrMissingLocationIsAnErrorNamingIt() throws Exception {
        assertThatThrownBy(() -> LogLayout.require(List.of(root.resolve("nope"))))
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.kind()).isEqualTo(DomainException.Kind.NOT_FOUND))
                .hasMessageContaining("nope").hasMessageContaining("does not exist");
        Files.createDirectories(root.resolve("podA"));
        Files.createDirectories(root.resolve("podB"));
        assertThatThrownBy(() -> LogLayout.require(List.of(root))).isInstanceOf(DomainException.class)
                .hasMessageContaining("no segment-*.log[.gz]");
        try (SegmentImpressionLog log = new SegmentImpressionLog(replica(root, "podA"))) {
            log.append(SampleRecords.impression("i", 1));
        }
        assertThat(LogLayout.require(List.of(root))).extracting(LogLayout.Replica::replica).containsExactly("podA");
        // one good location does not excuse a mistyped second one
        assertThatThrownBy(() -> LogLayout.require(List.of(root, root.resolve("podB")))).hasMessageContaining("podB");
    }

    @Test
    void aReplicaRestartingOnItsDirectoryContinuesItsNumbering() throws IOException {
        for (int run = 0; run < 2; run++) {
            try (SegmentImpressionLog log = new SegmentImpressionLog(replica(root, "r1"))) {
                log.append(SampleRecords.impression("i" + run, run));
            }
        }
        assertThat(SegmentFile.list(root.resolve("r1"))).extracting(SegmentFile::seq).containsExactly(1L, 2L);
        assertThat(read(LogReader.of(root))).extracting(LogEntry::impressionId).containsExactly("i0", "i1");
    }
}
