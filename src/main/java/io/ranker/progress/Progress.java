package io.ranker.progress;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Progress of a long command (index, features load, train, replay, first-start seeding) with a rate and an ETA: a
 * bar redrawn in place on a terminal, a plain line every few seconds otherwise (logs, CI, pipes), and a closing line
 * on {@link #finish()}. Work is measured
 * in {@code done} of {@code total} (bytes of an input file, records; total below 1 when unknown) and the rate in
 * {@code items} (what the user counts: items, rows, impressions), which may differ from the unit of done. Not
 * thread-safe: one worker reports. Writes to the given stream (stderr), never to stdout, which carries results.
 */
public final class Progress implements AutoCloseable {
    static final long TERMINAL_EVERY = 200_000_000L;   // 0.2 s between redraws of the bar
    static final long LINES_EVERY = 10_000_000_000L;   // 10 s between plain lines
    static final int BAR = 24;

    private final String label;
    private final String unit;
    private final long total;
    private final PrintStream out;          // the terminal, when drawing a bar
    private final Consumer<String> lines;   // where plain lines go otherwise
    private final boolean terminal;
    private final LongSupplier nanos;
    private final long every;
    private final long started;
    private long lastShown;
    private long done;
    private long items;
    private boolean closed;
    private boolean shownAny;

    Progress(String label, String unit, long total, PrintStream out, boolean terminal, LongSupplier nanos, long every) {
        this(label, unit, total, out, out::println, terminal, nanos, every);
    }

    private Progress(String label, String unit, long total, PrintStream out, Consumer<String> lines, boolean terminal,
                     LongSupplier nanos, long every) {
        this.label = label;
        this.unit = unit;
        this.total = total;
        this.out = out;
        this.lines = lines;
        this.terminal = terminal;
        this.nanos = nanos;
        this.every = every;
        this.started = nanos.getAsLong();
        this.lastShown = started;
    }

    /** Progress on stderr: a bar when the command runs in a terminal ({@link java.io.Console#isTerminal()}), lines every 10 s otherwise. */
    public static Progress start(String label, String unit, long total) {
        java.io.Console console = System.console();
        boolean terminal = console != null && console.isTerminal();
        return new Progress(label, unit, total, System.err, terminal, System::nanoTime, terminal ? TERMINAL_EVERY : LINES_EVERY);
    }

    /** Progress as plain lines every 10 s to {@code log} (a service's logger: first-start seeding). */
    public static Progress logged(String label, String unit, long total, Consumer<String> log) {
        return logged(label, unit, total, log, System::nanoTime);
    }

    static Progress logged(String label, String unit, long total, Consumer<String> log, LongSupplier nanos) {
        return new Progress(label, unit, total, null, log, false, nanos, LINES_EVERY);
    }

    /** Sets the position: {@code done} of total, {@code items} counted so far. Shows it when the interval has passed. */
    public void update(long done, long items) {
        this.done = done;
        this.items = items;
        long now = nanos.getAsLong();
        if (now - lastShown >= every) {
            lastShown = now;
            show(now, false);
        }
    }

    /** Adds {@code n} items, each one unit of done (when total counts items). */
    public void step(long n) {
        update(done + n, items + n);
    }

    /** The work is complete: the final line, with the total time and mean rate (none for work shorter than one interval). */
    public void finish() {
        if (closed) return;
        closed = true;
        if (!shownAny && nanos.getAsLong() - started < every) return; // quick work: the command's own summary says enough
        show(nanos.getAsLong(), true);
    }

    /** Without {@link #finish()} (the work failed): a bar drawn on the terminal is ended, and nothing claims it is done. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (terminal && shownAny) {
            out.println();
            out.flush();
        }
    }

    private void show(long now, boolean last) {
        shownAny = true;
        double seconds = (now - started) / 1e9;
        String text = last ? finished(label, unit, items, seconds) : line(label, unit, done, total, items, seconds);
        if (terminal) {
            out.print("\r" + (last ? text : bar(done, total) + " " + text) + "\u001b[K" + (last ? "\n" : ""));
            out.flush();
        } else {
            lines.accept(text);
        }
    }

    /** "index: 45% · 12,000 items · 8,000 items/s · ETA 1m 09s" (no percentage or ETA when the total is unknown). */
    public static String line(String label, String unit, long done, long total, long items, double seconds) {
        StringBuilder b = new StringBuilder(label).append(": ");
        double fraction = total > 0 ? Math.min(1.0, (double) done / total) : Double.NaN;
        if (!Double.isNaN(fraction)) b.append(String.format(Locale.ROOT, "%.0f%% · ", 100 * fraction));
        b.append(String.format(Locale.ROOT, "%,d %s", items, unit));
        return b.append(rateAndEta(unit, done, total, items, seconds)).toString();
    }

    /** " · 8,000 items/s · ETA 1m 09s" for a command that prints its own progress lines (empty parts are left out). */
    public static String rateAndEta(String unit, long done, long total, long items, double seconds) {
        StringBuilder b = new StringBuilder();
        double fraction = total > 0 ? Math.min(1.0, (double) done / total) : Double.NaN;
        if (seconds > 0) b.append(String.format(Locale.ROOT, " · %s %s/s", rate(items / seconds), unit));
        if (fraction > 0 && fraction < 1 && seconds > 0) b.append(" · ETA ").append(duration(seconds * (1 - fraction) / fraction));
        return b.toString();
    }

    static String finished(String label, String unit, long items, double seconds) {
        return String.format(Locale.ROOT, "%s: done, %,d %s in %s", label, items, unit, duration(seconds))
                + (seconds > 0 ? String.format(Locale.ROOT, " (%s %s/s)", rate(items / seconds), unit) : "");
    }

    static String bar(long done, long total) {
        if (total <= 0) return "[" + "?".repeat(BAR) + "]";
        int full = (int) Math.min(BAR, Math.round(BAR * (double) done / total));
        return "[" + "#".repeat(full) + ".".repeat(BAR - full) + "]";
    }

    /** 3 significant figures below 100, whole numbers with separators above. */
    static String rate(double perSecond) {
        if (perSecond < 10) return String.format(Locale.ROOT, "%.2f", perSecond);
        if (perSecond < 100) return String.format(Locale.ROOT, "%.1f", perSecond);
        return String.format(Locale.ROOT, "%,.0f", perSecond);
    }

    /** "45s", "3m 07s", "2h 05m". */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) return s + "s";
        if (s < 3600) return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
        return String.format(Locale.ROOT, "%dh %02dm", s / 3600, (s % 3600) / 60);
    }
}
