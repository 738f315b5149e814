package io.ranker.catalog;

import org.apache.lucene.codecs.hnsw.FlatVectorScorerUtil;

/**
 * Which implementation Lucene's vector arithmetic (HNSW distances, quantization, postings decoding) runs on in
 * this JVM: the SIMD one built on the incubating Java Vector API ("Panama"), or plain scalar loops. Lucene picks
 * it once per JVM, and takes the SIMD one only when the module {@code jdk.incubator.vector} is on the command
 * line ({@value #ENABLE_FLAG}), which a plain {@code java -jar} lacks. Incubator modules are never resolved by
 * default, so the service cannot turn it on by itself; it says which path runs instead.
 *
 * @param provider the class name of Lucene's {@code VectorizationProvider} in use
 *                 ({@code PanamaVectorizationProvider} or {@code DefaultVectorizationProvider})
 * @param panama   whether that provider is the SIMD one
 * @param vectorModule whether {@code jdk.incubator.vector} is in this JVM (Lucene also needs HotSpot's C2 compiler:
 *                 a JVM started with {@code -XX:TieredStopAtLevel=1} has the module and still runs scalar)
 */
public record LuceneVectorization(String provider, boolean panama, boolean vectorModule) {
    public static final String ENABLE_FLAG = "--add-modules jdk.incubator.vector";

    /** The provider Lucene uses in this JVM (initialising it when nothing has used vectors yet). */
    public static LuceneVectorization current() {
        String provider = providerClassName();
        return new LuceneVectorization(provider, provider.startsWith("Panama"),
                ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent());
    }

    /**
     * {@code VectorizationProvider.getInstance()} refuses callers outside Lucene, so the singleton is read from its
     * holder; should a later Lucene rename it, the HNSW scorer it hands out tells the same (the memory-segment
     * scorer exists only on the SIMD path).
     */
    private static String providerClassName() {
        try {
            var field = Class.forName("org.apache.lucene.internal.vectorization.VectorizationProvider$Holder")
                    .getDeclaredField("INSTANCE");
            field.setAccessible(true);
            return field.get(null).getClass().getSimpleName();
        } catch (ReflectiveOperationException | RuntimeException e) {
            String scorer = FlatVectorScorerUtil.getLucene99FlatVectorsScorer().getClass().getSimpleName();
            return scorer.contains("MemorySegment") ? "PanamaVectorizationProvider (by its scorer " + scorer + ")"
                    : "DefaultVectorizationProvider (by its scorer " + scorer + ")";
        }
    }

    /** One line for the start-up log and the evaluation commands. */
    public String describe() {
        if (panama) return "Lucene vector search uses the Java Vector API (SIMD, " + provider + ")";
        if (vectorModule) {
            return "Lucene vector search runs on the scalar path (" + provider + ", " + Runtime.version() + ") although "
                    + "jdk.incubator.vector is loaded: Lucene's warning above says why (it needs HotSpot with the C2 "
                    + "compiler: no -XX:TieredStopAtLevel=1, no -client)";
        }
        return "Lucene vector search runs on the scalar path (" + provider + ", " + Runtime.version()
                + "): start the JVM with '" + ENABLE_FLAG + "' (or JDK_JAVA_OPTIONS='" + ENABLE_FLAG
                + "') for the SIMD path (faster HNSW search)";
    }
}
