package io.ranker.retrieval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every retrieval source type a pipeline file may use, in one place. Adding a source type: the source class
 * with its {@link SourceType} next to it, one line here, and its row in {@code ranking-config/pipelines/README.md}.
 */
public final class SourceTypes {
    static final List<SourceType<?>> ALL = List.of(
            Bm25Source.TYPE,
            VectorSource.TYPE,
            PopularSource.TYPE,
            SuppliedIdsSource.TYPE);

    private static final Map<String, SourceType<?>> BY_NAME = new LinkedHashMap<>();

    static {
        for (SourceType<?> t : ALL) {
            if (BY_NAME.put(t.name(), t) != null) throw new IllegalStateException("source type " + t.name() + " twice");
        }
    }

    private SourceTypes() {
    }

    /** The type named {@code name}, or null. */
    public static SourceType<?> named(String name) {
        return BY_NAME.get(name);
    }

    /** The type names, sorted (for messages). */
    public static Set<String> names() {
        return new TreeSet<>(BY_NAME.keySet());
    }
}
