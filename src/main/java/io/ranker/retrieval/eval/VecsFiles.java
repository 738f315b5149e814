package io.ranker.retrieval.eval;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the TEXMEX .fvecs / .ivecs formats: per vector, a little-endian int32 dimension then the values. */
public final class VecsFiles {
    private VecsFiles() {
    }

    public static List<float[]> readFvecs(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        List<float[]> out = new ArrayList<>();
        while (b.remaining() >= 4) {
            int d = b.getInt();
            if (d <= 0 || d > 1_000_000 || b.remaining() < 4L * d) throw new IOException(file + ": not an .fvecs file (bad dimension " + d + ")");
            float[] v = new float[d];
            for (int i = 0; i < d; i++) v[i] = b.getFloat();
            out.add(v);
        }
        return out;
    }

    public static List<int[]> readIvecs(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        List<int[]> out = new ArrayList<>();
        while (b.remaining() >= 4) {
            int d = b.getInt();
            if (d <= 0 || d > 1_000_000 || b.remaining() < 4L * d) throw new IOException(file + ": not an .ivecs file (bad dimension " + d + ")");
            int[] v = new int[d];
            for (int i = 0; i < d; i++) v[i] = b.getInt();
            out.add(v);
        }
        return out;
    }
}
