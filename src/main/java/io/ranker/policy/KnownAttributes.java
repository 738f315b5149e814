package io.ranker.policy;

import java.util.Set;

/**
 * The catalog's item attribute names, for the unknown-attribute check of rule files. Implement it as a CDI bean
 * (the catalog knows its attributes); read at every validation, so it may change as items are upserted.
 * An empty set turns the check off.
 */
@FunctionalInterface
public interface KnownAttributes {
    Set<String> names();
}
