package io.ranker.replay.obd;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the Open Bandit Dataset CSV files ({@code <policy>/<campaign>.csv} and {@code item_context.csv}).
 * Columns are found by name, so extra or reordered columns are fine. Malformed rows are refused with their
 * line number (an evaluation on silently dropped rows would be biased).
 */
public final class ObdLogReader {
    private ObdLogReader() {
    }

    /** Number of items: the rows of {@code item_context.csv} (item ids must be 0..n-1). */
    public static int itemCount(Path itemContext) throws IOException {
        requireFile(itemContext, "--item-context");
        try (BufferedReader in = Files.newBufferedReader(itemContext, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            int col = column(split(header), "item_id", itemContext);
            int max = -1, rows = 0;
            String line;
            long no = 1;
            while ((line = in.readLine()) != null) {
                no++;
                if (line.isBlank()) {
                    continue;
                }
                String[] f = split(line);
                try {
                    max = Math.max(max, Integer.parseInt(f[col].trim()));
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(itemContext + " line " + no + ": bad item_id");
                }
                rows++;
            }
            if (rows == 0 || max != rows - 1) {
                throw new IllegalArgumentException(itemContext + ": expected item ids 0.." + (rows - 1)
                        + ", found max " + max);
            }
            return rows;
        }
    }

    /** Reads every row of a logged-data CSV for a campaign with {@code items} items. */
    public static List<ObdRow> read(Path logged, int items) throws IOException {
        requireFile(logged, "--logged");
        List<ObdRow> rows = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(logged, StandardCharsets.UTF_8)) {
            String headerLine = in.readLine();
            if (headerLine == null) {
                throw new IllegalArgumentException(logged + " is empty");
            }
            String[] header = split(headerLine);
            int item = column(header, "item_id", logged);
            int position = column(header, "position", logged);
            int click = column(header, "click", logged);
            int propensity = column(header, "propensity_score", logged);
            List<Integer> userCols = new ArrayList<>();
            int[] affinityCols = new int[items];
            java.util.Arrays.fill(affinityCols, -1);
            for (int c = 0; c < header.length; c++) {
                String h = header[c].trim();
                if (h.startsWith("user_feature_")) {
                    userCols.add(c);
                } else if (h.startsWith("user-item_affinity_")) {
                    int a = Integer.parseInt(h.substring("user-item_affinity_".length()));
                    if (a < items) {
                        affinityCols[a] = c;
                    }
                }
            }
            String line;
            long no = 1;
            while ((line = in.readLine()) != null) {
                no++;
                if (line.isBlank()) {
                    continue;
                }
                String[] f = split(line);
                try {
                    int a = Integer.parseInt(f[item].trim());
                    int pos = Integer.parseInt(f[position].trim());
                    int y = (int) Double.parseDouble(f[click].trim());
                    double p = Double.parseDouble(f[propensity].trim());
                    if (a < 0 || a >= items) {
                        throw new IllegalArgumentException("item_id " + a + " outside 0.." + (items - 1)
                                + " (see --item-context)");
                    }
                    if (pos < 1) {
                        throw new IllegalArgumentException("position " + pos + " < 1");
                    }
                    if (y != 0 && y != 1) {
                        throw new IllegalArgumentException("click " + y + " is not 0 or 1");
                    }
                    String[] user = new String[userCols.size()];
                    for (int j = 0; j < user.length; j++) {
                        user[j] = f[userCols.get(j)];
                    }
                    double[] aff = new double[items];
                    for (int j = 0; j < items; j++) {
                        aff[j] = affinityCols[j] < 0 ? 0.0 : Double.parseDouble(f[affinityCols[j]].trim());
                    }
                    rows.add(new ObdRow(no, a, pos, y, p, user, aff));
                } catch (ArrayIndexOutOfBoundsException e) {
                    throw new IllegalArgumentException(logged + " line " + no + ": too few columns");
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(logged + " line " + no + ": " + e.getMessage());
                }
            }
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(logged + " has no data rows");
        }
        return rows;
    }

    static void requireFile(Path path, String option) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException(option + ": file not found: " + path.toAbsolutePath()
                    + " (the Open Bandit Dataset sample is in ../shared/datasets/open-bandit-men/)");
        }
    }

    private static int column(String[] header, String name, Path file) {
        for (int c = 0; c < header.length; c++) {
            if (header[c].trim().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException(file + ": no column '" + name + "' in the header");
    }

    private static String[] split(String line) {
        return line.split(",", -1);
    }
}
