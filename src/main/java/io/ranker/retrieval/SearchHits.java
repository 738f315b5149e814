package io.ranker.retrieval;

import io.ranker.catalog.CatalogIndex;
import io.ranker.core.SourceHit;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns Lucene top docs into ranked source hits keyed by item id. Ids come from doc values rather than
 * stored fields: stored fields decompress a block per document, which dominated retrieval for 500 hits.
 */
final class SearchHits {
    private SearchHits() {
    }

    static List<SourceHit> toHits(String source, IndexSearcher searcher, TopDocs top) throws IOException {
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        List<SourceHit> hits = new ArrayList<>(top.scoreDocs.length);
        int rank = 1;
        for (ScoreDoc sd : top.scoreDocs) {
            hits.add(new SourceHit(source, sd.score, rank++, idOf(leaves, sd.doc)));
        }
        return hits;
    }

    static String idOf(List<LeafReaderContext> leaves, int globalDoc) throws IOException {
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(globalDoc, leaves));
        // A fresh iterator per lookup: doc values iterators only move forward and hits are not in doc order.
        SortedDocValues ids = leaf.reader().getSortedDocValues(CatalogIndex.ID);
        int doc = globalDoc - leaf.docBase;
        if (ids == null || !ids.advanceExact(doc)) throw new IOException("document " + globalDoc + " has no id");
        return ids.lookupOrd(ids.ordValue()).utf8ToString();
    }
}
