package io.ranker.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class PolicyCommandTest {
    @TempDir
    Path dir;
    final StringWriter out = new StringWriter(), err = new StringWriter();

    int run(String... args) {
        return new CommandLine(new RankerCli()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
    }

    @Test
    void validatesTheShippedFiles() {
        assertThat(run("policy", "validate", "ranking-config/policies/search.yaml",
                "--attributes", "category,brand,price,rating,in_stock,sponsored,age_restricted,created_at,tags")).isZero();
        assertThat(out.toString()).contains("valid, version");
    }

    @Test
    void reportsErrorsWithLineAndColumnAndRuleId() throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "rules:\n  - {id: cap-brand, type: cap, attribute: brand, max: two, topK: 10}\n"
                + "  - {id: p, type: pin, item: x, position: 500}\n");
        assertThat(run("policy", "validate", f.toString())).isEqualTo(2);
        assertThat(err.toString()).contains(f + ":2:").contains("rule 'cap-brand'").contains("rule 'p'").contains("impossible pin");
        assertThat(run("policy", "validate", dir.resolve("missing.yaml").toString())).isEqualTo(2);
    }

    /** The same checks as publishing: the catalog's attribute names (from the data directory's index) and the surfaces. */
    @Test
    void refusesAnUnknownAttributeAndAnUnknownSurfaceLikeThePublishEndpoint() throws Exception {
        Path data = dir.resolve("data");
        try (io.ranker.catalog.CatalogIndex index = new io.ranker.catalog.CatalogIndex(data.resolve("index"), 4, "cosine", 1000)) {
            index.upsert(java.util.List.of(new io.ranker.core.Item("p1", "t", "x",
                    java.util.Map.of("category", "coffee", "brand", "Crema"), null)));
            index.refresh();
        }
        Path typo = dir.resolve("typo.yaml");
        Files.writeString(typo, "surface: feed\nrules:\n  - {id: b, type: boost, when: {attribute: categroy, eq: coffee}, multiply: 2}\n");
        assertThat(run("policy", "validate", typo.toString(), "--data-dir", data.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("unknown attribute 'categroy'").contains("category");

        Path feeds = dir.resolve("feeds.yaml");
        Files.writeString(feeds, "surface: feeds\nrules:\n  - {id: b, type: boost, when: {attribute: category, eq: coffee}, multiply: 2}\n");
        assertThat(run("policy", "validate", feeds.toString(), "--data-dir", data.toString(), "--config-dir", "ranking-config"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("unknown surface 'feeds'").contains("feed, search");

        Path good = dir.resolve("good.yaml");
        Files.writeString(good, "surface: feed\nrules:\n  - {id: b, type: boost, when: {attribute: category, eq: coffee}, multiply: 2}\n");
        assertThat(run("policy", "validate", good.toString(), "--data-dir", data.toString(), "--config-dir", "ranking-config"))
                .isZero();
    }

    @Test
    void diffsTwoFiles() throws Exception {
        Path a = dir.resolve("a.yaml"), b = dir.resolve("b.yaml");
        Files.writeString(a, "rules:\n  - {id: k, type: cap, attribute: brand, max: 2, topK: 10}\n");
        Files.writeString(b, "rules:\n  - {id: k, type: cap, attribute: brand, max: 3, topK: 10}\n");
        assertThat(run("policy", "diff", a.toString(), b.toString())).isEqualTo(1);
        assertThat(out.toString()).contains("~ rule k: max: 2 -> 3");
        assertThat(run("policy", "diff", a.toString(), a.toString())).isZero();
        assertThat(out.toString()).contains("same rule set");
    }
}
