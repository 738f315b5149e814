package io.ranker.catalog;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Says at start which path Lucene's vector code runs on, before the first search: a plain {@code java -jar}
 * works but is scalar, and the log line says how to turn SIMD on (a warning, so it is seen).
 */
@ApplicationScoped
public class VectorizationStartupLog {
    private static final Logger LOG = Logger.getLogger(VectorizationStartupLog.class);

    void onStart(@Observes StartupEvent ev) {
        LuceneVectorization v = LuceneVectorization.current();
        if (v.panama()) LOG.info(v.describe());
        else LOG.warn(v.describe());
    }
}
