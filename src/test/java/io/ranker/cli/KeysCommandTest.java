package io.ranker.cli;

import io.ranker.auth.KeyFile;
import io.ranker.auth.KeyRing;
import io.ranker.auth.Scope;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class KeysCommandTest {
    final StringWriter out = new StringWriter(), err = new StringWriter();

    int run(String... args) {
        return new CommandLine(new RankerCli()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
    }

    @Test
    void aNewKeyComesWithTheLineThatAdmitsIt() {
        assertThat(run("keys", "new", "--name", "catalog-pipeline", "--scope", "ingest")).isZero();
        String[] lines = out.toString().split("\n");
        String key = lines[0].substring(lines[0].lastIndexOf(' ') + 1);
        assertThat(key).startsWith("rk_").hasSize(46);
        KeyRing ring = new KeyRing(KeyFile.parse(lines[2], "test", false), null);
        assertThat(ring.authenticate(key).orElseThrow().name()).isEqualTo("catalog-pipeline");
        assertThat(ring.authenticate(key).orElseThrow().scopes()).containsExactly(Scope.INGEST);
    }

    @Test
    void mistakesAreRefusedAsTheServiceWouldRefuseThem() {
        assertThat(run("keys", "new", "--name", "x", "--scope", "root")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown scope 'root'");
        assertThat(run("keys", "new", "--name", "-dash-first", "--scope", "admin")).isEqualTo(2);
        assertThat(List.of(err.toString())).anySatisfy(e -> assertThat(e).contains("the name must be"));
    }
}
