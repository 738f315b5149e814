package io.ranker.replay.obd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Beta(alpha, beta) priors per item of one campaign, from OBP's {@code prior_bts.yaml} layout. */
public record BetaPriors(String campaign, double[] alpha, double[] beta) {

    public BetaPriors {
        if (alpha.length != beta.length || alpha.length == 0) {
            throw new IllegalArgumentException("campaign " + campaign + ": alpha has " + alpha.length
                    + " values, beta " + beta.length);
        }
        for (int i = 0; i < alpha.length; i++) {
            if (!(alpha[i] > 0) || !(beta[i] > 0)) {
                throw new IllegalArgumentException("campaign " + campaign + ", item " + i
                        + ": Beta parameters must be > 0 (alpha " + alpha[i] + ", beta " + beta[i] + ")");
            }
        }
    }

    public int items() {
        return alpha.length;
    }

    /** Reads {@code campaign: {alpha: [...], beta: [...]}} from a YAML file. */
    public static BetaPriors read(Path yaml, String campaign) throws IOException {
        ObdLogReader.requireFile(yaml, "--prior");
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(yaml.toFile());
        JsonNode node = root == null ? null : root.get(campaign);
        if (node == null) {
            List<String> names = new ArrayList<>();
            if (root != null) {
                root.fieldNames().forEachRemaining(names::add);
            }
            throw new IllegalArgumentException(yaml + ": no campaign '" + campaign + "' (available: " + names + ")");
        }
        return new BetaPriors(campaign, numbers(node.get("alpha"), yaml, campaign + ".alpha"),
                numbers(node.get("beta"), yaml, campaign + ".beta"));
    }

    private static double[] numbers(JsonNode list, Path yaml, String what) {
        if (list == null || !list.isArray()) {
            throw new IllegalArgumentException(yaml + ": " + what + " must be a list of numbers");
        }
        double[] out = new double[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!list.get(i).isNumber()) {
                throw new IllegalArgumentException(yaml + ": " + what + "[" + i + "] is not a number");
            }
            out[i] = list.get(i).asDouble();
        }
        return out;
    }
}
