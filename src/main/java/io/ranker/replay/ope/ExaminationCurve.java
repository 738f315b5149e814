package io.ranker.replay.ope;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link ExaminationHarvest} found: examination per position relative to a reference position, where the
 * logging policy's randomisation identifies it, and a power law fitted through those points.
 *
 * @param reference       1-based reference position (ratio 1 by definition); -1 when nothing is identified
 * @param ratio           [position - 1]: exam(position) / exam(reference); NaN where not identified
 * @param lo              2.5% bootstrap percentile of the ratio
 * @param hi              97.5% bootstrap percentile
 * @param identified      whether the randomisation moved enough clicked items between the position and the
 *                        reference to estimate the ratio
 * @param eta             power-law exponent fitted through the identified ratios: exam(k) ~ k^-eta
 * @param etaLo           its 2.5% bootstrap percentile
 * @param etaHi           its 97.5% bootstrap percentile
 * @param exploredShare   share of the lists that came from the explore branch
 * @param randomisedShare [position - 1]: share of the explored lists whose item there was drawn at random
 * @param requests        lists harvested
 * @param longestList     the longest list harvested (positions beyond it are not reported)
 */
public record ExaminationCurve(int reference, double[] ratio, double[] lo, double[] hi, boolean[] identified,
                               double eta, double etaLo, double etaHi, double exploredShare, double[] randomisedShare,
                               long requests, int longestList) {

    /** Number of positions the curve covers. */
    public int positions() {
        return ratio.length;
    }

    /**
     * exam(position) / exam(1) for training weights: the identified ratios where there are some, the power law
     * where the randomisation never moved items (a protected first position, slots, pins); 1 everywhere when
     * nothing is identified (no correction rather than a guess).
     */
    public double relativeToFirst(int position) {
        if (reference < 1 || Double.isNaN(eta)) return 1.0;
        double first = identified.length > 0 && identified[0] ? ratio[0] : Math.pow(reference, eta);
        return Math.min(1.0, Math.max(1e-3, vsReference(position) / first));
    }

    /** exam(position) / exam(reference): identified ratio or the power law. */
    double vsReference(int position) {
        int k = position - 1;
        if (k >= 0 && k < ratio.length && identified[k] && ratio[k] > 0) return ratio[k];
        return Math.pow((double) position / reference, -eta);
    }

    /** The report section (replay.json {@code examination}, train's metrics.json). */
    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", "intervention harvesting: clicks on items the logging policy could show at both positions of a pair, "
                + "weighted by 1 / P_log(item at position), compared position against position (position-based click model)");
        m.put("lists", requests);
        m.put("exploredShare", exploredShare);
        m.put("reference", reference < 1 ? null : reference);
        List<Map<String, Object>> rows = new ArrayList<>();
        List<Integer> notIdentified = new ArrayList<>();
        for (int k = 0; k < Math.min(ratio.length, longestList); k++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("position", k + 1);
            row.put("identified", identified[k]);
            row.put("randomisedShare", randomisedShare[k]);
            if (identified[k]) {
                row.put("relativeToReference", ratio[k]);
                row.put("ci95", List.of(lo[k], hi[k]));
            } else {
                notIdentified.add(k + 1);
                row.put("why", randomisedShare[k] > 0 ? "too few clicks on randomised items here (fewer than "
                        + (int) ExaminationHarvest.MIN_CLICKS + " shared with the reference position)"
                        : "never randomised: the logging policy holds one item here (a protected position, a slot or a pin)");
            }
            if (reference >= 1 && !Double.isNaN(eta)) row.put("relativeToFirst", relativeToFirst(k + 1));
            rows.add(row);
        }
        m.put("positions", rows);
        Map<String, Object> fit = new LinkedHashMap<>();
        fit.put("eta", eta);
        fit.put("ci95", List.of(etaLo, etaHi));
        fit.put("form", "exam(k) / exam(reference) = (k / reference)^-eta, least squares on the identified positions");
        m.put("powerLaw", fit);
        m.put("notIdentified", notIdentified);
        if (!notIdentified.isEmpty()) {
            m.put("notIdentifiedWhy", "the randomisation does not identify these positions (see each position's why):"
                    + " relativeToFirst uses the power law there");
        }
        return m;
    }
}
