package io.ranker.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The attribute names of a catalog index on disk, read without opening it for writing (no lock: a running service
 * may hold the index), so that the commands validate rule sets against the same catalog as the service does.
 */
public final class CatalogAttributes {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CatalogAttributes() {
    }

    /** Empty when there is no index at {@code indexDir}. */
    public static Optional<Set<String>> read(Path indexDir) throws IOException {
        if (!Files.isDirectory(indexDir)) return Optional.empty();
        try (FSDirectory dir = FSDirectory.open(indexDir)) {
            if (!DirectoryReader.indexExists(dir)) return Optional.empty();
            Set<String> names = new TreeSet<>();
            try (DirectoryReader reader = DirectoryReader.open(dir)) {
                for (LeafReaderContext leaf : reader.leaves()) {
                    Bits live = leaf.reader().getLiveDocs();
                    StoredFields stored = leaf.reader().storedFields();
                    for (int doc = 0; doc < leaf.reader().maxDoc(); doc++) {
                        if (live != null && !live.get(doc)) continue;
                        var source = stored.document(doc, Set.of(CatalogIndex.SOURCE)).getBinaryValue(CatalogIndex.SOURCE);
                        if (source == null) continue;
                        JsonNode attrs = JSON.readTree(source.bytes, source.offset, source.length).path("attributes");
                        for (Iterator<String> it = attrs.fieldNames(); it.hasNext(); ) names.add(it.next());
                    }
                }
            }
            return Optional.of(names);
        }
    }
}
