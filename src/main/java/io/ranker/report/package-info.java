/**
 * Self-contained HTML reports with inline SVG charts, for the files that commands write next to their JSON
 * ({@code replay.html}, {@code simulation.html}). A leaf package: it knows nothing of replay or simulation, only
 * labelled numbers. No scripts and no external assets, so a report opens offline and under any
 * Content-Security-Policy. Every number drawn is also printed as text and kept at full precision in a
 * {@code data-} attribute, so the chart can be checked against the JSON it came from.
 */
package io.ranker.report;
