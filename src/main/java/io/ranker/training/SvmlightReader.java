package io.ranker.training;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads svmlight/libsvm ranking data ({@code label idx:value ...}, optional {@code qid:} token and {@code #}
 * comment) with a separate group file (one query size per line, LightGBM's {@code .query}) into a
 * {@link TrainingSet}. A feature absent from a line is missing (NaN), as in XGBoost's own libsvm loader. Feature
 * index i becomes column i, named {@code f<i>}.
 */
public final class SvmlightReader {
    private SvmlightReader() {
    }

    public static TrainingSet read(Path data, Path groupsFile) throws IOException {
        requireFile(data, "data");
        requireFile(groupsFile, "groups");
        List<float[]> values = new ArrayList<>();
        List<int[]> indices = new ArrayList<>();
        List<Float> labels = new ArrayList<>();
        int maxIndex = -1;
        try (BufferedReader in = Files.newBufferedReader(data, StandardCharsets.UTF_8)) {
            String line;
            int no = 0;
            while ((line = in.readLine()) != null) {
                no++;
                int hash = line.indexOf('#');
                if (hash >= 0) {
                    line = line.substring(0, hash);
                }
                line = line.trim();
                if (line.isEmpty()) {
                    continue;
                }
                String[] tokens = line.split("\\s+");
                try {
                    labels.add(Float.parseFloat(tokens[0]));
                    int[] idx = new int[tokens.length - 1];
                    float[] val = new float[tokens.length - 1];
                    int n = 0;
                    for (int t = 1; t < tokens.length; t++) {
                        if (tokens[t].startsWith("qid:")) {
                            continue;
                        }
                        int colon = tokens[t].indexOf(':');
                        if (colon <= 0) {
                            throw new IllegalArgumentException("token '" + tokens[t] + "' is not index:value");
                        }
                        idx[n] = Integer.parseInt(tokens[t].substring(0, colon));
                        if (idx[n] < 0) {
                            throw new IllegalArgumentException("negative feature index " + idx[n]);
                        }
                        val[n] = Float.parseFloat(tokens[t].substring(colon + 1));
                        maxIndex = Math.max(maxIndex, idx[n]);
                        n++;
                    }
                    indices.add(java.util.Arrays.copyOf(idx, n));
                    values.add(java.util.Arrays.copyOf(val, n));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(data + " line " + no + ": " + e.getMessage());
                }
            }
        }
        int rows = labels.size();
        int cols = Math.max(1, maxIndex + 1);
        float[] dense = new float[rows * cols];
        java.util.Arrays.fill(dense, Float.NaN);
        float[] y = new float[rows];
        for (int r = 0; r < rows; r++) {
            y[r] = labels.get(r);
            int[] idx = indices.get(r);
            float[] val = values.get(r);
            for (int j = 0; j < idx.length; j++) {
                dense[r * cols + idx[j]] = val[j];
            }
        }
        return new TrainingSet(names(cols), dense, y, readGroups(groupsFile), null);
    }

    /** The same data with {@code columns} columns (the extra ones missing), so a train and a test set align. */
    public static TrainingSet withColumns(TrainingSet data, int columns) {
        int cols = data.columnCount();
        if (columns == cols) {
            return data;
        }
        if (columns < cols) {
            throw new IllegalArgumentException("cannot narrow " + cols + " columns to " + columns);
        }
        int rows = data.rowCount();
        float[] out = new float[rows * columns];
        java.util.Arrays.fill(out, Float.NaN);
        for (int r = 0; r < rows; r++) {
            System.arraycopy(data.rows(), r * cols, out, r * columns, cols);
        }
        return new TrainingSet(names(columns), out, data.labels(), data.groupSizes(), data.weights());
    }

    private static List<String> names(int cols) {
        List<String> names = new ArrayList<>(cols);
        for (int i = 0; i < cols; i++) {
            names.add("f" + i);
        }
        return names;
    }

    static int[] readGroups(Path groupsFile) throws IOException {
        List<Integer> groups = new ArrayList<>();
        int no = 0;
        for (String line : Files.readAllLines(groupsFile, StandardCharsets.UTF_8)) {
            no++;
            if (line.isBlank()) {
                continue;
            }
            try {
                groups.add(Integer.parseInt(line.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(groupsFile + " line " + no + ": '" + line + "' is not a count");
            }
        }
        return groups.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void requireFile(Path path, String what) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException(what + " file not found: " + path.toAbsolutePath());
        }
    }
}
