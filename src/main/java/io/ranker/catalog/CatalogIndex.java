package io.ranker.catalog;

import io.ranker.core.Item;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.DoubleDocValuesField;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.IndexFormatTooNewException;
import org.apache.lucene.index.IndexFormatTooOldException;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.KeepOnlyLastCommitDeletionPolicy;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SnapshotDeletionPolicy;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ReferenceManager;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.Version;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The item catalog: a Lucene index on disk (BM25 text, attribute filters, HNSW vectors) plus an in-memory
 * id -> {@link Item} map so that turning hits into candidates costs no stored-field decoding per request.
 *
 * <p>Writes go through one {@link IndexWriter} (thread-safe); readers see them within
 * {@code refreshMillis} through a {@link SearcherManager} refreshed in the background (near-real-time).
 * Every bulk write ends with a commit, so an acknowledged upsert survives a restart.
 *
 * <p>Field layout: {@code id} (keyword), {@code title}/{@code text} (English analyzer, BM25),
 * {@code a.<name>} keyword per string/boolean/list value (filters), {@code n.<name>} DoublePoint +
 * doc values per number (range filters, popularity/recency sort), {@code vector} (HNSW), {@code _source}
 * (the item JSON, to rebuild the in-memory map at start), {@code _version} (with the shared catalog: the changelog
 * entry that wrote the document, see {@link #put}).
 *
 * <p>Two ways to write: {@link #upsert}/{@link #delete} commit at once (the single-node mode); {@link #put},
 * {@link #remove} and {@link #commit(Map)} leave committing to the caller, who stores its position in the commit's
 * user data (the changelog applier: one commit per batch of entries, the position in the same commit).
 */
public final class CatalogIndex implements Closeable {
    public static final String ID = "id";
    public static final String TITLE = "title";
    public static final String TEXT = "text";
    public static final String VECTOR = "vector";
    public static final String SOURCE = "_source";
    public static final String VERSION = "_version";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final Analyzer analyzer = new EnglishAnalyzer();
    private final Map<String, Item> items = new ConcurrentHashMap<>();
    private final Map<String, AttributeType> attributeTypes = new ConcurrentHashMap<>();
    private final Map<String, String> versions = new ConcurrentHashMap<>();
    private final SnapshotDeletionPolicy commits = new SnapshotDeletionPolicy(new KeepOnlyLastCommitDeletionPolicy());
    private final Path path;
    private final Object commitLock = new Object();
    private final int dimension;
    private final VectorSimilarityFunction similarity;
    private final VectorQuantization quantization;
    private final ScheduledExecutorService refresher;
    private final AtomicBoolean open = new AtomicBoolean(true);

    public enum AttributeType { STRING, NUMBER, BOOLEAN, STRING_LIST }

    public CatalogIndex(Path dir, int dimension, String similarity, int refreshMillis) throws IOException {
        this(dir, dimension, similarity, VectorQuantization.NONE, refreshMillis);
    }

    public CatalogIndex(Path dir, int dimension, String similarity, VectorQuantization quantization, int refreshMillis) throws IOException {
        Files.createDirectories(dir);
        this.path = dir;
        this.dimension = dimension;
        this.similarity = parseSimilarity(similarity);
        this.quantization = quantization;
        this.directory = FSDirectory.open(dir);
        IndexWriterConfig cfg = new IndexWriterConfig(analyzer);
        cfg.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
        cfg.setRAMBufferSizeMB(64);
        cfg.setCodec(quantization.codec());
        // Snapshots copy the files of a commit while the writer goes on: the policy keeps them until released.
        cfg.setIndexDeletionPolicy(commits);
        IndexWriter w = null;
        try {
            w = new IndexWriter(directory, cfg);
            this.writer = w;
            this.searchers = new SearcherManager(writer, null);
            loadItems();
        } catch (IndexFormatTooOldException | IndexFormatTooNewException | CorruptIndexException e) {
            closeAfterFailedOpen(w);
            throw new IncompatibleIndexException(dir, e);
        } catch (IOException | RuntimeException e) {
            closeAfterFailedOpen(w);
            throw e;
        }
        this.refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "catalog-refresh");
            t.setDaemon(true);
            return t;
        });
        refresher.scheduleWithFixedDelay(this::refreshQuietly, refreshMillis, refreshMillis, TimeUnit.MILLISECONDS);
    }

    private void closeAfterFailedOpen(IndexWriter w) {
        // Releases the write lock, so that the next attempt (after re-indexing) is not refused as "locked".
        try {
            if (w != null) w.rollback();
            directory.close();
        } catch (IOException | RuntimeException suppressed) {
            // the open failure is what the user must see
        }
    }

    /**
     * The data directory's index cannot be read by this Lucene (written by a release older than the previous major
     * version, by a newer one, or damaged): the service refuses to start with what to do instead of a stack trace
     * from inside Lucene. Lucene 9 indexes (Ranker before Java 25) open: lucene-backward-codecs reads them.
     */
    public static final class IncompatibleIndexException extends IOException {
        IncompatibleIndexException(Path dir, IOException cause) {
            super("the catalog index in " + dir.toAbsolutePath() + " cannot be opened by Lucene " + Version.LATEST + " ("
                    + cause.getMessage() + "). Re-index: stop the service, move that directory aside, start again (an "
                    + "empty index re-seeds the demo catalog when demo seeding is on) and load your items again with the "
                    + "`index` command or PUT /v1/items", cause);
        }
    }

    static VectorSimilarityFunction parseSimilarity(String name) {
        try {
            return VectorSimilarityFunction.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown vector similarity '" + name + "'; use cosine, dot_product, euclidean or maximum_inner_product");
        }
    }

    private void loadItems() throws IOException {
        IndexSearcher s = searchers.acquire();
        try {
            for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
                Bits live = leaf.reader().getLiveDocs();
                StoredFields stored = leaf.reader().storedFields();
                for (int doc = 0; doc < leaf.reader().maxDoc(); doc++) {
                    if (live != null && !live.get(doc)) continue;
                    Document d = stored.document(doc, Set.of(SOURCE, VERSION));
                    Item item = ItemJson.parse(JSON.readTree(d.getBinaryValue(SOURCE).bytes), dimension);
                    remember(item);
                    String version = d.get(VERSION);
                    if (version != null) versions.put(item.id(), version);
                }
            }
        } catch (ItemJson.InvalidItem e) {
            throw new IOException("index holds an item that no longer validates (" + e.getMessage() + "); was the vector dimension changed?", e);
        } finally {
            searchers.release(s);
        }
    }

    private void remember(Item item) {
        items.put(item.id(), item);
        item.attributes().forEach((k, v) -> attributeTypes.putIfAbsent(k, typeOf(v)));
    }

    private static AttributeType typeOf(Object v) {
        if (v instanceof Number) return AttributeType.NUMBER;
        if (v instanceof Boolean) return AttributeType.BOOLEAN;
        if (v instanceof List<?>) return AttributeType.STRING_LIST;
        return AttributeType.STRING;
    }

    /** Adds or replaces items and commits; visible to queries within the refresh interval. */
    public void upsert(Collection<Item> batch) throws IOException {
        ensureOpen();
        for (Item item : batch) {
            writer.updateDocument(new Term(ID, item.id()), toDocument(item));
        }
        writer.commit();
        for (Item item : batch) {
            remember(item);
            versions.remove(item.id());
        }
    }

    /** @return whether an item with this id existed */
    public boolean delete(String id) throws IOException {
        ensureOpen();
        boolean existed = items.containsKey(id);
        writer.deleteDocuments(new Term(ID, id));
        writer.commit();
        items.remove(id);
        versions.remove(id);
        return existed;
    }

    /**
     * Adds or replaces one item stamped with {@code version} (the changelog entry that wrote it), without committing:
     * searchable after the next refresh, durable after the next {@link #commit(Map)}.
     *
     * @throws IllegalArgumentException when Lucene refuses this document (e.g. a term longer than 32766 bytes);
     *                                  the index is unchanged and stays usable
     */
    public void put(Item item, String version) throws IOException {
        ensureOpen();
        Document d = toDocument(item);
        d.add(new StoredField(VERSION, version));
        writer.updateDocument(new Term(ID, item.id()), d);
        remember(item);
        versions.put(item.id(), version);
    }

    /** Deletes one item without committing; @return whether it existed. */
    public boolean remove(String id) throws IOException {
        ensureOpen();
        boolean existed = items.containsKey(id);
        writer.deleteDocuments(new Term(ID, id));
        items.remove(id);
        versions.remove(id);
        return existed;
    }

    /** The version {@link #put} stamped on this item, or null (no such item, or written by {@link #upsert}). */
    public String version(String id) { return versions.get(id); }

    /**
     * Commits every write so far with {@code userData} as the commit's user data (replaces the previous one).
     * Serialised: Lucene reads the live commit data late in a commit, after it has taken the documents, so a second
     * caller setting newer data meanwhile would label the first commit with a position its documents do not reach.
     */
    public void commit(Map<String, String> userData) throws IOException {
        ensureOpen();
        synchronized (commitLock) {
            writer.setLiveCommitData(Map.copyOf(userData).entrySet());
            writer.commit();
        }
    }

    /** The user data of the last commit (at open: the one on disk; empty for a new index or one never given any). */
    public Map<String, String> commitData() {
        Map<String, String> out = new HashMap<>();
        Iterable<Map.Entry<String, String>> data = writer.getLiveCommitData();
        if (data != null) data.forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** What a snapshot of the index is: the files of one commit point in {@code dir}, its user data and live documents. */
    public interface CommitVisitor<T> {
        T visit(Path dir, Collection<String> files, Map<String, String> userData, int items) throws IOException;
    }

    /**
     * Commits, then hands the files of that commit to {@code visitor} while the writer goes on (they are kept until
     * the visitor returns, even if later commits no longer need them).
     */
    public <T> T withLastCommit(Map<String, String> userData, CommitVisitor<T> visitor) throws IOException {
        commit(userData);
        IndexCommit commit = commits.snapshot();
        try (DirectoryReader atCommit = DirectoryReader.open(commit)) {
            return visitor.visit(path, commit.getFileNames(), commit.getUserData(), atCommit.numDocs());
        } finally {
            commits.release(commit);
            writer.deleteUnusedFiles();
        }
    }

    /** Told before and after every refresh of the searchers (e.g. to know which writes a search can see). */
    public void addRefreshListener(ReferenceManager.RefreshListener listener) {
        searchers.addListener(listener);
    }

    private Document toDocument(Item item) throws IOException {
        Document d = new Document();
        d.add(new StringField(ID, item.id(), Field.Store.YES));
        d.add(new SortedDocValuesField(ID, new BytesRef(item.id())));
        d.add(new TextField(TITLE, item.title(), Field.Store.NO));
        d.add(new TextField(TEXT, item.text(), Field.Store.NO));
        for (var e : item.attributes().entrySet()) {
            String name = e.getKey();
            Object v = e.getValue();
            if (v instanceof Number n) {
                d.add(new DoublePoint("n." + name, n.doubleValue()));
                d.add(new DoubleDocValuesField("n." + name, n.doubleValue()));
            } else if (v instanceof List<?> list) {
                for (Object x : list) d.add(new StringField("a." + name, String.valueOf(x), Field.Store.NO));
            } else {
                d.add(new StringField("a." + name, String.valueOf(v), Field.Store.NO));
            }
        }
        if (item.vector() != null) d.add(new KnnFloatVectorField(VECTOR, item.vector(), similarity));
        d.add(new StoredField(SOURCE, JSON.writeValueAsBytes(ItemJson.toJson(JSON, item))));
        return d;
    }

    /** Merges the index down to at most {@code segments} segments (bulk loads and evaluation: one HNSW graph). */
    public void forceMerge(int segments) throws IOException {
        ensureOpen();
        writer.forceMerge(segments);
        writer.commit();
        searchers.maybeRefreshBlocking();
    }

    /** Makes every write so far visible to the next search (tests and bulk loads; serving refreshes on its own). */
    public void refresh() throws IOException {
        searchers.maybeRefreshBlocking();
    }

    private void refreshQuietly() {
        try {
            if (open.get()) searchers.maybeRefresh();
        } catch (IOException | RuntimeException e) {
            // A failed refresh keeps the previous searcher; the next tick tries again.
        }
    }

    /** Borrow a searcher; always {@link #release} it in a finally block. */
    public IndexSearcher acquire() throws IOException {
        ensureOpen();
        return searchers.acquire();
    }

    public void release(IndexSearcher s) {
        try {
            searchers.release(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Item item(String id) { return items.get(id); }

    public int size() { return items.size(); }

    public Collection<Item> items() { return items.values(); }

    /** Attribute names seen in the catalog and their types; filters on other names are refused. */
    public Map<String, AttributeType> attributeTypes() { return attributeTypes; }

    public int dimension() { return dimension; }

    public VectorSimilarityFunction similarity() { return similarity; }

    public VectorQuantization vectorQuantization() { return quantization; }

    public Analyzer analyzer() { return analyzer; }

    public boolean isOpen() { return open.get(); }

    private void ensureOpen() {
        if (!open.get()) throw new IllegalStateException("catalog index is closed");
    }

    /**
     * Closes without committing: what a crash leaves behind (the last commit), for recovery tests and for giving up an
     * index whose writes must not become durable.
     */
    public void closeWithoutCommit() throws IOException {
        if (!open.compareAndSet(true, false)) return;
        refresher.shutdown();
        try {
            refresher.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            searchers.close();
            writer.rollback();
        } finally {
            directory.close();
        }
    }

    @Override
    public void close() throws IOException {
        if (!open.compareAndSet(true, false)) return;
        // No interrupt: interrupting a thread inside Lucene's NIO calls closes the channel it was using (even the
        // write lock's), which invalidates the lock; let the current refresh finish instead.
        refresher.shutdown();
        try {
            refresher.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            synchronized (commitLock) {
                writer.commit();
            }
        } finally {
            searchers.close();
            writer.close();
            directory.close();
        }
    }
}
