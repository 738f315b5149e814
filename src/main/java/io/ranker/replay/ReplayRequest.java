package io.ranker.replay;

import io.ranker.explore.ExplorerConfig;
import io.ranker.replay.ope.OpeSettings;

/**
 * What to replay: a surface and time range of the log, and the candidate to evaluate. Every candidate part
 * left null stays what each impression was served with (its logged model version, its logged policy version,
 * the surface's explorer), so a request with no candidate at all replays the logging policy itself.
 *
 * @param from           first impression time, epoch millis (inclusive; {@link Long#MIN_VALUE} = open)
 * @param to             end of range, epoch millis (exclusive; {@link Long#MAX_VALUE} = open)
 * @param maxImpressions stop after this many replayed impressions (0 = all)
 * @param model          candidate model, or null
 * @param policyYaml     candidate rule set (policy file format), or null
 * @param explorer       candidate explorer configuration, or null
 * @param progressEvery  progress callback every this many impressions read
 */
public record ReplayRequest(String surface, long from, long to, long maxImpressions, CandidateModel model,
                            String policyYaml, ExplorerConfig explorer, RewardWeights rewards, OpeSettings ope,
                            int progressEvery) {

    public ReplayRequest {
        if (rewards == null) rewards = RewardWeights.CLICKS;
        if (ope == null) ope = OpeSettings.forReplay(200);
        if (progressEvery <= 0) progressEvery = 10_000;
    }

    public static ReplayRequest of(String surface) {
        return new ReplayRequest(surface, Long.MIN_VALUE, Long.MAX_VALUE, 0, null, null, null, null, null, 0);
    }

    public ReplayRequest withRange(long fromMillis, long toMillis) {
        return new ReplayRequest(surface, fromMillis, toMillis, maxImpressions, model, policyYaml, explorer, rewards, ope, progressEvery);
    }

    public ReplayRequest withModel(CandidateModel m) {
        return new ReplayRequest(surface, from, to, maxImpressions, m, policyYaml, explorer, rewards, ope, progressEvery);
    }

    public ReplayRequest withPolicy(String yaml) {
        return new ReplayRequest(surface, from, to, maxImpressions, model, yaml, explorer, rewards, ope, progressEvery);
    }

    public ReplayRequest withExplorer(ExplorerConfig cfg) {
        return new ReplayRequest(surface, from, to, maxImpressions, model, policyYaml, cfg, rewards, ope, progressEvery);
    }

    public ReplayRequest withMaxImpressions(long n) {
        return new ReplayRequest(surface, from, to, n, model, policyYaml, explorer, rewards, ope, progressEvery);
    }

    public ReplayRequest withRewards(RewardWeights w) {
        return new ReplayRequest(surface, from, to, maxImpressions, model, policyYaml, explorer, w, ope, progressEvery);
    }

    public ReplayRequest withOpe(OpeSettings s) {
        return new ReplayRequest(surface, from, to, maxImpressions, model, policyYaml, explorer, rewards, s, progressEvery);
    }

    public ReplayRequest withProgressEvery(int n) {
        return new ReplayRequest(surface, from, to, maxImpressions, model, policyYaml, explorer, rewards, ope, n);
    }

    /** Whether anything differs from the logging policy. */
    public boolean hasCandidate() {
        return model != null || policyYaml != null || explorer != null;
    }
}
