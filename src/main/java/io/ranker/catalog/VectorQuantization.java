package io.ranker.catalog;

import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat;

import java.util.Locale;

/**
 * How the catalog's HNSW graph stores vectors ({@code ranking.catalog.vector-quantization}). {@code int8} keeps a
 * one-byte-per-dimension copy (Lucene's optimised scalar quantization, {@code Lucene104HnswScalarQuantizedVectorsFormat},
 * same graph parameters) that the graph is built and searched on, next to the float vectors, which rescore the
 * candidates found so that scores stay exact (they are features). The choice is recorded per segment, so an index
 * written with one setting opens with the other; segments take the new one as they are rewritten by merges.
 */
public enum VectorQuantization {
    NONE, INT8;

    public static VectorQuantization parse(String name) {
        for (VectorQuantization q : values()) {
            if (q.name().equalsIgnoreCase(name.trim())) return q;
        }
        throw new IllegalArgumentException("unknown vector quantization '" + name + "'; use none or int8");
    }

    /** The index codec: Lucene's default, with this format for the vector field. */
    Codec codec() {
        if (this == NONE) return Codec.getDefault();
        KnnVectorsFormat int8 = new Lucene104HnswScalarQuantizedVectorsFormat();
        return new Lucene104Codec() {
            @Override
            public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                return CatalogIndex.VECTOR.equals(field) ? int8 : super.getKnnVectorsFormatForField(field);
            }
        };
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
