package io.ranker.replay;

import io.ranker.replay.ope.ImpressionRecordSamples;

import java.util.Map;

/**
 * A reward model as the replay uses it: it is told each request's candidates before it predicts for them, and is
 * shown each slot's reward only after the impression has been evaluated (a model fitted as it goes learns from it; a
 * cross-fitted one ignores it), so a prediction never depends on the reward it is a control variate for.
 */
interface ProgressiveRewardModel extends ImpressionRecordSamples.RewardModel {
    /** The request about to be predicted: its impression id and its candidates' logged attributes, by id. */
    void forRequest(String impressionId, Map<String, Map<String, Object>> attributesById);

    /** One shown slot's reward, after the impression was evaluated. */
    void observe(String itemId, int position, double reward);
}
