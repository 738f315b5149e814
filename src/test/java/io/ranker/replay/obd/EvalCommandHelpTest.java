package io.ranker.replay.obd;

import io.ranker.cli.RankerCli;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import static org.assertj.core.api.Assertions.assertThat;

class EvalCommandHelpTest {
    @Test
    void helpListsTheObdSubcommandAndItsOptionsWithoutWarnings() {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true));
        System.setErr(new PrintStream(errors, true));
        try {
            assertThat(RankerCli.execute("eval")).isEqualTo(0);
            assertThat(RankerCli.execute("eval", "obd", "--help")).isEqualTo(0);
            assertThat(RankerCli.execute("train", "--help")).isEqualTo(0);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        assertThat(captured.toString()).contains("obd").contains("--logged").contains("--item-context")
                .contains("--prior").contains("--campaign").contains("--out").contains("--format");
        assertThat(errors.toString()).doesNotContain("WARN");
    }
}
