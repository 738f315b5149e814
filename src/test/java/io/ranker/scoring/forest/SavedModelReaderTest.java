package io.ranker.scoring.forest;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SavedModelReaderTest {

    @Test
    void jsonNumbersAreFloat32FromTheirTextAndNonNumbersAreAccepted() {
        // 0.1000000015 is the float nearest 0.1; a decimal between two floats must round once, not via double
        String json = "{\"a\":[1,2,3],\"b\":[0.5,1E-1,NaN,-Infinity,Infinity,3],\"c\":\"x\",\"d\":[{\"e\":true},null]}";
        Map<String, Object> m = SavedModelReader.read(json.getBytes(StandardCharsets.UTF_8));
        assertThat((long[]) m.get("a")).containsExactly(1, 2, 3);
        float[] b = (float[]) m.get("b");
        assertThat(b[0]).isEqualTo(0.5f);
        assertThat(b[1]).isEqualTo(0.1f);
        assertThat(b[2]).isNaN();
        assertThat(b[3]).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(b[4]).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(b[5]).isEqualTo(3f);
        assertThat(m.get("c")).isEqualTo("x");
        assertThat((List<?>) m.get("d")).hasSize(2);
        // a decimal whose double rounding would differ from its direct float rounding
        String tricky = "1.00000005960464477539062500001"; // just above the midpoint of 1 and nextUp(1)
        float direct = Float.parseFloat(tricky);
        Map<String, Object> t = SavedModelReader.read(("{\"x\":[" + tricky + "]}").getBytes(StandardCharsets.UTF_8));
        assertThat(((float[]) t.get("x"))[0]).isEqualTo(direct).isEqualTo(Math.nextUp(1f));
        assertThat((float) Double.parseDouble(tricky)).isEqualTo(1f); // what going through double would give
    }

    @Test
    void ubjTypedCountedAndPlainContainers() {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write('{');
        key(o, "f");
        o.writeBytes(new byte[]{'[', '$', 'd', '#', 'i', 2, 0x3f, 0, 0, 0, 0x40, 0, 0, 0}); // [0.5, 2.0]
        key(o, "u");
        o.writeBytes(new byte[]{'[', '$', 'U', '#', 'U', 3, 1, (byte) 200, 0});
        key(o, "l");
        o.writeBytes(new byte[]{'[', '#', 'U', 2, 'i', -1, 'I', 1, 0});   // [-1, 256] untyped, counted
        key(o, "s");
        o.writeBytes(new byte[]{'[', 'S', 'i', 1, 'z', 'T', 'Z', ']'});   // ["z", true, null]
        key(o, "h");
        o.writeBytes(new byte[]{'H', 'i', 3, '1', '.', '5'});
        key(o, "D");
        o.writeBytes(new byte[]{'D', 0x3f, (byte) 0xf8, 0, 0, 0, 0, 0, 0}); // 1.5
        o.write('}');
        Map<String, Object> m = SavedModelReader.read(o.toByteArray());
        assertThat((float[]) m.get("f")).containsExactly(0.5f, 2f);
        assertThat((long[]) m.get("u")).containsExactly(1, 200, 0);
        assertThat((long[]) m.get("l")).containsExactly(-1, 256);
        assertThat(((List<?>) m.get("s")).toArray()).containsExactly("z", true, null);
        assertThat(m.get("h")).isEqualTo(1.5f);
        assertThat(m.get("D")).isEqualTo(1.5f);
    }

    @Test
    void hostileInputIsRefusedCleanly() {
        ByteArrayOutputStream dup = new ByteArrayOutputStream();
        dup.write('{');
        key(dup, "a");
        dup.writeBytes(new byte[]{'i', 1});
        key(dup, "a");
        dup.writeBytes(new byte[]{'i', 2});
        dup.write('}');
        assertThatThrownBy(() -> SavedModelReader.read(dup.toByteArray())).isInstanceOf(MalformedModelException.class)
                .hasMessageContaining("repeats the key 'a'");
        assertThatThrownBy(() -> SavedModelReader.read("{\"a\":1,\"a\":2}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedModelException.class).hasMessageContaining("Duplicate field 'a'");
        assertThatThrownBy(() -> SavedModelReader.read(("{\"a\":" + "[".repeat(200) + "]".repeat(200) + "}").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedModelException.class).hasMessageContaining("deeper than");
        byte[] deepUbj = new byte[2 + 2 * 200];
        deepUbj[0] = '{';
        deepUbj[1] = 'i'; // key length marker... followed by garbage nesting
        assertThatThrownBy(() -> SavedModelReader.read(deepUbj)).isInstanceOf(MalformedModelException.class);
        assertThatThrownBy(() -> SavedModelReader.read(new byte[]{'{', 'i', 1, 'k', '?', '}'}))
                .isInstanceOf(MalformedModelException.class).hasMessageContaining("unknown marker '?'");
        assertThatThrownBy(() -> SavedModelReader.read(new byte[]{'{', 'i', 1, 'k', 'S', 'L', 0x7f, 0, 0, 0, 0, 0, 0, 0, '}'}))
                .isInstanceOf(MalformedModelException.class).hasMessageContaining("only");
        assertThatThrownBy(() -> SavedModelReader.read("{\"a\":1} trailing".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedModelException.class);
        assertThatThrownBy(() -> SavedModelReader.read(new byte[]{'x'})).isInstanceOf(MalformedModelException.class);
    }

    private static void key(ByteArrayOutputStream o, String k) {
        o.write('i');
        o.write(k.length());
        o.writeBytes(k.getBytes(StandardCharsets.UTF_8));
    }
}
