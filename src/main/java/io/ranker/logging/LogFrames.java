package io.ranker.logging;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The record framing of a segment (documented in docs/impression-log.md):
 * <pre>
 *   magic   4 bytes  0xA7 'R' 'L' 0x01   (0x01 never occurs raw in JSON, so a reader can resync on it)
 *   length  4 bytes  big-endian payload length
 *   crc     4 bytes  big-endian CRC32C over the 4 length bytes and the payload
 *   payload length bytes of UTF-8 JSON, one object with a "kind" field
 * </pre>
 */
public final class LogFrames {
    public static final int HEADER = 12;
    public static final int MAGIC = 0xA7524C01;
    /** Anything longer is treated as a corrupt length, not as a record. */
    public static final int MAX_PAYLOAD = 256 << 20;

    private LogFrames() {
    }

    /** Fills the header of {@code buf}, whose payload already sits at {@code [HEADER, HEADER + length)}. */
    static void writeHeader(byte[] buf, int length) {
        ByteBuffer b = ByteBuffer.wrap(buf, 0, HEADER);
        b.putInt(MAGIC).putInt(length);
        b.putInt(crc(buf, length));
    }

    /** CRC32C of the length field and the payload of a frame held in {@code buf} from offset 0. */
    static int crc(byte[] buf, int off, int length) {
        CRC32C c = new CRC32C();
        c.update(buf, off + 4, 4);
        c.update(buf, off + HEADER, length);
        return (int) c.getValue();
    }

    private static int crc(byte[] buf, int length) {
        return crc(buf, 0, length);
    }

    /** A frame ready to write: {@code buf[0, length)}. */
    record Encoded(byte[] buf, int length) {
    }

    /**
     * Encodes a record ({@code kind}, the writing replica's id, null in the single-replica layout of old, and body, as
     * {@link LogJson.Envelope}) as one frame. Serialises straight after a reserved header, so the frame is built
     * without copying the payload.
     */
    static Encoded encode(String kind, String replica, Object body) throws IOException {
        FrameBuffer out = new FrameBuffer(body instanceof ImpressionRecord r && r.candidates() != null ? 1 << 18 : 1024);
        out.write(new byte[HEADER]);
        LogJson.MAPPER.writeValue(out, new LogJson.Envelope(kind, replica, body));
        int payload = out.size() - HEADER;
        if (payload > MAX_PAYLOAD) throw new IOException("record of " + payload + " bytes exceeds " + MAX_PAYLOAD);
        byte[] buf = out.buffer();
        writeHeader(buf, payload);
        return new Encoded(buf, out.size());
    }

    private static final class FrameBuffer extends ByteArrayOutputStream {
        FrameBuffer(int size) {
            super(size);
        }

        byte[] buffer() {
            return buf;
        }

        @Override
        public void close() {
        }
    }
}
