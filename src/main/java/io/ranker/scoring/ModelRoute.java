package io.ranker.scoring;

import java.util.List;

/**
 * What serves one request: the model whose scores are used, the experiment arm the user is in ({@code null}
 * when the user gets the plain active model; {@code "canary"} for the canary; {@code "<experiment>/<arm>"}
 * otherwise), and the shadow models to score alongside.
 */
public record ModelRoute(String surface, XgboostScorer model, String arm, List<XgboostScorer> shadows) {
}
