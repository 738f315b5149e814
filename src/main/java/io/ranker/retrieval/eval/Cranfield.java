package io.ranker.retrieval.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Cranfield collection: {@code cran.all.1400} (documents), {@code cran.qry} (queries),
 * {@code cranqrel} (judgements). Quirks handled here: query {@code .I} labels have gaps, while the qrels
 * number queries 1..225 in order of appearance; grade 1 is the MOST relevant, 4 the least, -1 none.
 */
public final class Cranfield {
    public record Doc(String id, String title, String text) {
    }

    public record Query(int number, String text) {
    }

    /** Relevance on a gain scale: 4 (grade 1, most relevant) .. 1 (grade 4); grade -1 or absent is 0. */
    public static int relevance(int grade) {
        return grade >= 1 && grade <= 4 ? 5 - grade : 0;
    }

    private final List<Doc> docs;
    private final List<Query> queries;
    private final Map<Integer, Map<String, Integer>> qrels;

    private Cranfield(List<Doc> docs, List<Query> queries, Map<Integer, Map<String, Integer>> qrels) {
        this.docs = docs;
        this.queries = queries;
        this.qrels = qrels;
    }

    public static Cranfield load(Path dir) throws IOException {
        for (String f : List.of("cran.all.1400", "cran.qry", "cranqrel")) {
            if (!Files.isRegularFile(dir.resolve(f))) throw new IOException("not a Cranfield directory: " + dir.resolve(f) + " is missing");
        }
        List<Doc> docs = new ArrayList<>();
        for (Map<Character, String> rec : records(Files.readString(dir.resolve("cran.all.1400")))) {
            docs.add(new Doc(rec.get('I'), rec.getOrDefault('T', ""), rec.getOrDefault('W', "")));
        }
        List<Query> queries = new ArrayList<>();
        int n = 1;
        for (Map<Character, String> rec : records(Files.readString(dir.resolve("cran.qry")))) {
            queries.add(new Query(n++, rec.getOrDefault('W', "")));
        }
        Map<Integer, Map<String, Integer>> qrels = new HashMap<>();
        for (String line : Files.readAllLines(dir.resolve("cranqrel"))) {
            String[] p = line.trim().split("\\s+");
            if (p.length < 3) continue;
            int rel = relevance(Integer.parseInt(p[2]));
            if (rel > 0) qrels.computeIfAbsent(Integer.parseInt(p[0]), k -> new HashMap<>()).put(p[1], rel);
        }
        return new Cranfield(docs, queries, qrels);
    }

    /** Splits ".I n / .T / .A / .B / .W" records into field maps (field letter -> text). */
    /** Splits ".I n / .T / .A / .B / .W" records into field maps (public for tests of the quirks). */
    public static List<Map<Character, String>> records(String content) {
        List<Map<Character, String>> out = new ArrayList<>();
        Map<Character, String> cur = null;
        Character field = null;
        StringBuilder sb = new StringBuilder();
        for (String line : content.split("\r?\n")) {
            if (line.startsWith(".") && line.length() >= 2 && Character.isUpperCase(line.charAt(1))
                    && (line.length() == 2 || line.charAt(2) == ' ')) {
                if (cur != null && field != null) cur.put(field, sb.toString().trim());
                sb.setLength(0);
                field = line.charAt(1);
                if (field == 'I') {
                    cur = new LinkedHashMap<>();
                    out.add(cur);
                    cur.put('I', String.valueOf(Integer.parseInt(line.substring(2).trim())));
                    field = null;
                }
            } else {
                sb.append(line).append(' ');
            }
        }
        if (cur != null && field != null) cur.put(field, sb.toString().trim());
        return out;
    }

    public List<Doc> docs() { return docs; }

    public List<Query> queries() { return queries; }

    /** Relevant documents of a query with their relevance (1..4), empty when none was judged relevant. */
    public Map<String, Integer> judgements(int query) { return qrels.getOrDefault(query, Map.of()); }
}
