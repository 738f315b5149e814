package io.ranker.explore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every exploration type a pipeline may name, in one place ({@code none}, no exploration, is not a type: it is
 * the absence of an explore branch). Adding an explorer: its class with its {@link ExplorerType} next to it, one
 * line here, and its description in {@code ranking-config/pipelines/README.md}; a setting no type had before is
 * also a field of {@link ExplorerConfig} and a line of {@link ExplorerConfigParser}.
 */
public final class ExplorerTypes {
    static final List<ExplorerType> ALL = List.of(
            PlackettLuceExplorer.TYPE,
            ShuffleTopNExplorer.TYPE);

    private static final Map<String, ExplorerType> BY_NAME = new LinkedHashMap<>();

    static {
        for (ExplorerType t : ALL) {
            if (BY_NAME.put(t.name(), t) != null) throw new IllegalStateException("explorer type " + t.name() + " twice");
        }
    }

    private ExplorerTypes() {
    }

    /** The type named {@code name}, or null ({@code none} included). */
    public static ExplorerType named(String name) {
        return BY_NAME.get(name);
    }

    /** "none, plackett-luce or shuffle-top-n": the valid {@code type:} values, for messages. */
    static String choices() {
        List<String> names = new ArrayList<>();
        names.add(ExplorerConfig.NONE);
        names.addAll(BY_NAME.keySet());
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }
}
