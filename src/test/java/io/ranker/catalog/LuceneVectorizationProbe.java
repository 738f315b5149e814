package io.ranker.catalog;

/** Run in a child JVM by {@link LuceneVectorizationTest}: prints the provider, then the start-up line. */
public final class LuceneVectorizationProbe {
    private LuceneVectorizationProbe() {
    }

    public static void main(String[] args) {
        LuceneVectorization v = LuceneVectorization.current();
        System.out.println(v.provider());
        System.out.println(v.describe());
    }
}
