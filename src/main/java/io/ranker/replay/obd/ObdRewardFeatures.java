package io.ranker.replay.obd;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Features of the DR reward model q(x, item, position) for Open Bandit data: intercept, one-hot item, one-hot
 * position, one-hot level of each user feature column (hashed categories), and log(1 + user-item affinity) of the
 * candidate item. Item context columns are not used: with a one-hot item they would add nothing.
 */
final class ObdRewardFeatures {
    private final int items;
    private final int positions;
    private final Map<String, Integer> userLevels = new HashMap<>();
    private final int userBase;
    private final int affinityIndex;

    ObdRewardFeatures(List<ObdRow> rows, int items, int positions) {
        this.items = items;
        this.positions = positions;
        this.userBase = 1 + items + positions;
        for (ObdRow r : rows) {
            for (int j = 0; j < r.userFeatures().length; j++) {
                userLevels.putIfAbsent(j + "=" + r.userFeatures()[j], userLevels.size());
            }
        }
        this.affinityIndex = userBase + userLevels.size();
    }

    int dimension() {
        return affinityIndex + 1;
    }

    int[] index(ObdRow row, int item, int position) {
        int u = row.userFeatures().length;
        int[] idx = new int[4 + u];
        idx[0] = 0;
        idx[1] = 1 + item;
        idx[2] = 1 + items + (position - 1);
        for (int j = 0; j < u; j++) {
            idx[3 + j] = userBase + userLevels.get(j + "=" + row.userFeatures()[j]);
        }
        idx[3 + u] = affinityIndex;
        return idx;
    }

    double[] value(ObdRow row, int item) {
        double[] v = new double[4 + row.userFeatures().length];
        java.util.Arrays.fill(v, 1.0);
        v[v.length - 1] = Math.log1p(Math.max(0.0, row.affinity()[item]));
        return v;
    }

    int positions() {
        return positions;
    }
}
