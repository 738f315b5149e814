package io.ranker.training;

import io.ranker.logging.FeedbackEvent;
import io.ranker.logging.ImpressionRecord;
import io.ranker.logging.LogEntry;
import io.ranker.logging.LogReader;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Served lists read back from an impression log for training: impressions of one surface that logged their
 * candidate set (features as served), joined with their feedback. Impressions without a logged candidate set
 * cannot give feature rows and are counted, not used; records the reader could not decode are counted too.
 */
public final class LoggedLists {

    /**
     * One served list.
     *
     * @param features per shown item (position order), the features as served
     * @param labels   per shown item: sum of the configured weight of each feedback event on it
     * @param clicks   per shown item: 1 when it received any feedback with a positive weight (for the bias estimate)
     */
    public record LoggedList(ImpressionRecord record, List<float[]> features, float[] labels, float[] clicks) {
        public int size() {
            return labels.length;
        }
    }

    /** What was read, in time order, and what had to be left out. */
    public record Read(List<LoggedList> lists, List<String> featureNames, long impressions, long withoutCandidates,
                       long feedbackEvents, long unreadable) {
    }

    private LoggedLists() {
    }

    /**
     * @param labelWeights weight per feedback type (e.g. click=1, conversion=3); other types are ignored
     */
    public static Read read(Path logDir, String surface, long fromMillis, long toMillis, Map<String, Double> labelWeights) {
        return read(List.of(logDir), surface, fromMillis, toMillis, labelWeights, true);
    }

    /**
     * Reads every replica under each log location: feedback joins its impression whichever replica logged either, and
     * a feedback event logged twice (same eventId) counts once.
     *
     * @param labelWeights   weight per feedback type (e.g. click=1, conversion=3); other types are ignored
     * @param keepCandidates whether each list keeps its record's candidate set (hundreds of candidates with features and
     *                       attributes, ~2 MB in memory per list on the demo feed); training itself needs only the
     *                       shown rows
     */
    public static Read read(List<Path> logDirs, String surface, long fromMillis, long toMillis, Map<String, Double> labelWeights,
                            boolean keepCandidates) {
        Map<String, Map<String, Double>> labels = new HashMap<>();
        long feedback = 0, unreadable = 0;
        // Pass 1: feedback (it may come after its impression, possibly after the time window: read all of it).
        try (Stream<LogEntry> s = LogReader.of(logDirs).stream()) {
            for (LogEntry e : (Iterable<LogEntry>) s::iterator) {
                if (!e.isFeedback()) continue;
                FeedbackEvent f;
                try {
                    f = e.feedback();
                } catch (RuntimeException ex) {
                    unreadable++;
                    continue;
                }
                Double w = labelWeights.get(f.type());
                if (w == null || f.impressionId() == null || f.itemId() == null) continue;
                feedback++;
                labels.computeIfAbsent(f.impressionId(), k -> new HashMap<>()).merge(f.itemId(), w, Double::sum);
            }
        }
        List<LoggedList> lists = new ArrayList<>();
        List<String> names = null;
        long impressions = 0, withoutCandidates = 0;
        try (Stream<LogEntry> s = LogReader.of(logDirs).between(fromMillis, toMillis).stream()) {
            for (LogEntry e : (Iterable<LogEntry>) s::iterator) {
                if (!e.isImpression()) continue;
                ImpressionRecord r;
                try {
                    r = e.impression();
                } catch (RuntimeException ex) {
                    unreadable++;
                    continue;
                }
                if (!surface.equals(r.surface())) continue;
                impressions++;
                if (r.candidates() == null || r.featureNames() == null || r.items().isEmpty()) {
                    withoutCandidates++;
                    continue;
                }
                if (names == null) names = List.copyOf(r.featureNames());
                else if (!names.equals(r.featureNames())) {
                    // A schema change inside the range: rows of two schemas cannot share a matrix.
                    withoutCandidates++;
                    continue;
                }
                LoggedList list = toList(r, labels.getOrDefault(r.impressionId(), Map.of()), keepCandidates);
                if (list != null) lists.add(list);
                else withoutCandidates++;
            }
        }
        lists.sort(Comparator.comparingLong(l -> l.record().timestamp()));
        return new Read(lists, names == null ? List.of() : names, impressions, withoutCandidates, feedback, unreadable);
    }

    private static LoggedList toList(ImpressionRecord r, Map<String, Double> feedback, boolean keepCandidates) {
        Map<String, float[]> byId = new HashMap<>();
        for (ImpressionRecord.LoggedCandidate c : r.candidates()) byId.put(c.id(), c.features());
        int n = r.items().size();
        List<float[]> rows = new ArrayList<>(n);
        float[] labels = new float[n];
        float[] clicks = new float[n];
        for (int i = 0; i < n; i++) {
            ImpressionRecord.ShownItem s = r.items().get(i);
            float[] f = byId.get(s.id());
            if (f == null) return null; // a shown item missing from its own candidate set: a damaged record
            rows.add(f);
            double label = feedback.getOrDefault(s.id(), 0.0);
            labels[i] = (float) label;
            clicks[i] = label > 0 ? 1f : 0f;
        }
        if (keepCandidates) return new LoggedList(r, rows, labels, clicks);
        // The off-policy evaluation streams the log itself, so the candidate set need not stay in memory.
        ImpressionRecord slim = new ImpressionRecord(r.impressionId(), r.timestamp(), r.surface(), r.userId(), r.query(),
                r.context(), r.seed(), r.versions(), r.experimentArm(), r.explorer(), r.explored(), r.mcSamples(), r.items(),
                null, null, null, r.degraded(), r.mcStdError(), r.exposureCapped());
        return new LoggedList(slim, rows, labels, clicks);
    }
}
