package io.ranker.retrieval;

import io.ranker.core.CandidateSource;

import java.util.Set;
import java.util.function.Function;

/**
 * The vocabulary of one retrieval source type, declared next to the source it builds: its name in a pipeline
 * file ({@code type:}), the keys it takes besides the common ones ({@code name}, {@code type}, {@code limit},
 * {@code weight}, {@code fallback}), how it reads them into its settings record, and how it builds the source.
 * Registered in {@link SourceTypes}; documented in {@code ranking-config/pipelines/README.md}.
 *
 * @param <S>    the source's settings: an immutable record that lives as long as its pipeline version
 * @param keys   the type's own keys; any other key is an error
 * @param reader reads the keys, reporting problems through {@link SourceSettings}
 * @param build  the source for one surface: its name, its settings, what the surface offers
 */
public record SourceType<S>(String name, Set<String> keys, Function<SourceSettings, S> reader, Factory<S> build) {
    @FunctionalInterface
    public interface Factory<S> {
        /** @throws IllegalArgumentException when the settings do not fit the surface (e.g. no such user feature) */
        CandidateSource build(String name, S settings, SourceContext surface);
    }

    public SourceType {
        keys = Set.copyOf(keys);
    }

    /** Reads this type's keys into a configured source (the pair that builds it, without casts). */
    public Configured<S> read(SourceSettings in) {
        return new Configured<>(this, reader.apply(in));
    }

    /** A source type with its settings, as a pipeline version holds it. */
    public record Configured<S>(SourceType<S> type, S settings) {
        public CandidateSource build(String name, SourceContext surface) {
            return type.build().build(name, settings, surface);
        }
    }
}
