package io.ranker.training;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SvmlightReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsLabelsFeaturesQidsAndComments() throws Exception {
        Path data = Files.writeString(dir.resolve("d.txt"),
                "2 qid:1 0:0.5 3:1.5 # a comment\n0 qid:1 1:2\n\n1 qid:2 2:-1 # x\n");
        Path groups = Files.writeString(dir.resolve("d.query"), "2\n1\n");
        TrainingSet d = SvmlightReader.read(data, groups);
        assertThat(d.rowCount()).isEqualTo(3);
        assertThat(d.columnCount()).isEqualTo(4);
        assertThat(d.featureNames()).containsExactly("f0", "f1", "f2", "f3");
        assertThat(d.labels()).containsExactly(2f, 0f, 1f);
        assertThat(d.groupSizes()).containsExactly(2, 1);
        assertThat(d.rows()[0]).isEqualTo(0.5f);
        assertThat(d.rows()[3]).isEqualTo(1.5f);
        assertThat(d.rows()[1]).isNaN(); // absent = missing
        assertThat(d.rows()[4 + 1]).isEqualTo(2f);
        assertThat(d.rows()[8 + 2]).isEqualTo(-1f);
        TrainingSet wide = SvmlightReader.withColumns(d, 6);
        assertThat(wide.rows()[6 + 1]).isEqualTo(2f);
        assertThat(wide.rows()[5]).isNaN();
        assertThat(wide.featureNames()).hasSize(6);
    }

    @Test
    void refusesBadTokensAndGroupMismatch() throws Exception {
        Path groups = Files.writeString(dir.resolve("g"), "1\n");
        Path bad = Files.writeString(dir.resolve("bad"), "1 0:1\n0 zz\n");
        assertThatThrownBy(() -> SvmlightReader.read(bad, Files.writeString(dir.resolve("g2"), "2\n")))
                .hasMessageContaining("line 2").hasMessageContaining("zz");
        Path two = Files.writeString(dir.resolve("two"), "1 0:1\n0 0:2\n");
        assertThatThrownBy(() -> SvmlightReader.read(two, groups)).hasMessageContaining("sum to 1")
                .hasMessageContaining("2 rows");
        assertThatThrownBy(() -> SvmlightReader.read(dir.resolve("absent"), groups))
                .hasMessageContaining("not found");
    }
}
