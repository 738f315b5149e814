package io.ranker.logging;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Reads frames ({@link LogFrames}) from one segment's bytes, validating each checksum. Damage never stops
 * it: a bad frame is reported and the scanner resynchronises on the next magic, so records after a corrupt
 * stretch are still read; bytes cut off at the end of the segment are reported as a torn tail.
 */
final class FrameScanner {
    /** One valid record: where it starts and its payload. */
    record Frame(long offset, byte[] payload) {
    }

    private final InputStream in;
    private final String segment;
    private final Consumer<LogProblem> problems;
    private byte[] buf = new byte[1 << 16];
    private int pos;
    private int lim;
    private long base; // absolute offset of buf[0]
    private boolean eof;

    FrameScanner(InputStream in, String segment, Consumer<LogProblem> problems) {
        this.in = in;
        this.segment = segment;
        this.problems = problems;
    }

    /** @return the next valid frame, or null at the end of the segment */
    Frame next() throws IOException {
        while (true) {
            if (!ensure(LogFrames.HEADER)) {
                if (lim > pos) {
                    report(LogProblem.Type.TORN, lim - pos, "segment ends inside a record header");
                    pos = lim;
                }
                return null;
            }
            if (intAt(pos) != LogFrames.MAGIC) {
                skipDamage("bytes that are not a record (no frame header)");
                continue;
            }
            int len = intAt(pos + 4);
            if (len < 0 || len > LogFrames.MAX_PAYLOAD) {
                skipDamage("impossible record length " + len);
                continue;
            }
            if (!ensure(LogFrames.HEADER + len)) {
                if (nextMagic(pos + 1) >= 0) { // a damaged length, more records follow
                    skipDamage("record length " + len + " runs past later records");
                    continue;
                }
                report(LogProblem.Type.TORN, lim - pos, "record of " + len + " bytes cut off after "
                        + (lim - pos - LogFrames.HEADER) + " payload bytes");
                pos = lim;
                return null;
            }
            if (LogFrames.crc(buf, pos, len) != intAt(pos + 8)) {
                skipDamage("checksum mismatch in a record of " + len + " bytes");
                continue;
            }
            Frame f = new Frame(base + pos, Arrays.copyOfRange(buf, pos + LogFrames.HEADER, pos + LogFrames.HEADER + len));
            pos += LogFrames.HEADER + len;
            return f;
        }
    }

    /** Reports the stretch from {@code pos} to the next magic (or the end) and moves past it. */
    private void skipDamage(String why) throws IOException {
        long start = base + pos;
        pos++;
        while (true) {
            int m = nextMagic(pos);
            if (m >= 0) {
                pos = m;
                break;
            }
            // keep the last 3 bytes: a magic may straddle the refill
            pos = Math.max(pos, lim - 3);
            if (!ensure(lim - pos + 1)) {
                pos = lim;
                break;
            }
        }
        problems.accept(new LogProblem(segment, start, LogProblem.Type.CORRUPT, base + pos - start, why));
    }

    /** Index in buf of the next magic at or after {@code from} among buffered bytes, or -1. */
    private int nextMagic(int from) {
        for (int i = from; i + 4 <= lim; i++) {
            if (buf[i] == (byte) 0xA7 && intAt(i) == LogFrames.MAGIC) return i;
        }
        return -1;
    }

    private void report(LogProblem.Type type, long bytes, String detail) {
        problems.accept(new LogProblem(segment, base + pos, type, bytes, detail));
    }

    private int intAt(int i) {
        return ((buf[i] & 0xff) << 24) | ((buf[i + 1] & 0xff) << 16) | ((buf[i + 2] & 0xff) << 8) | (buf[i + 3] & 0xff);
    }

    /** Makes at least n bytes available from pos; false when the segment ends first. */
    private boolean ensure(int n) throws IOException {
        if (lim - pos >= n) return true;
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            base += pos;
            pos = 0;
        }
        if (n > buf.length) buf = Arrays.copyOf(buf, Math.max(n, buf.length * 2));
        while (lim < n && !eof) {
            int r = in.read(buf, lim, buf.length - lim);
            if (r < 0) eof = true;
            else lim += r;
        }
        return lim - pos >= n;
    }
}
