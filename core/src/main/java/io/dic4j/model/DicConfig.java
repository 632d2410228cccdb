package io.dic4j.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dic4j.landmarks.LandmarkScheme;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The DIC network's shape: the {@code networks} section of the authors' option files, one field per key.
 *
 * @param numFeatures F, channels of the recovery branch ({@code num_features})
 * @param numSteps T, recurrent steps ({@code num_steps})
 * @param numGroups G, projection groups per feedback block ({@code num_groups})
 * @param hgNumFeature H, channels of the feedback hourglass ({@code hg_num_feature})
 * @param hgNumKeypoints K, landmarks estimated (68 or 194) ({@code hg_num_keypoints})
 * @param numFusionBlock B, residual blocks in the attentive fusion ({@code num_fusion_block})
 * @param detachAttention stop gradients from the recovery loss into the heatmaps ({@code detach_attention})
 * @param inChannels image channels in ({@code in_channels})
 * @param outChannels image channels out ({@code out_channels})
 * @param scale upscaling factor; DIC exists for 8 only ({@code scale})
 * @param attention what steps 2 to T attend to ({@code attention}, dic4j's, optional): the landmarks, as the paper
 *     does, or uniform maps, the ablation that shows what the landmarks add
 */
public record DicConfig(
        int numFeatures,
        int numSteps,
        int numGroups,
        int hgNumFeature,
        int hgNumKeypoints,
        int numFusionBlock,
        boolean detachAttention,
        int inChannels,
        int outChannels,
        int scale,
        Attention attention) {

    /** The configuration of the paper (CVPR 2020) and of the authors' released checkpoints. */
    public static final DicConfig PAPER = new DicConfig(48, 4, 6, 256, 68, 7, false, 3, 3, 8);

    /** The model key, value of {@code which_model}, that this network implements. */
    public static final String MODEL_NAME = "DIC";

    /** What the attentive fusion of steps 2 to T reads. */
    public enum Attention {
        /** The five component maps merged from the previous step's heatmaps: DIC as the paper builds it. */
        LANDMARKS,
        /**
         * Each component map replaced by its spatial mean: the same amount of attention, without the landmarks'
         * places. An ablation, for weights trained with landmarks.
         */
        UNIFORM;

        String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** dic4j's key for {@link #attention()}: optional, written only when not {@link Attention#LANDMARKS}. */
    private static final String ATTENTION_KEY = "attention";

    /** Keys of the authors' {@code networks} section that describe nothing the network needs. */
    private static final List<String> IGNORED_KEYS = List.of("_comment");

    /** JSON key ↔ field, in the order of the record. */
    private static final Map<String, Function<DicConfig, Object>> KEYS = keys();

    /** A network as the paper builds it: attention from the landmarks. */
    public DicConfig(int numFeatures, int numSteps, int numGroups, int hgNumFeature, int hgNumKeypoints,
            int numFusionBlock, boolean detachAttention, int inChannels, int outChannels, int scale) {
        this(numFeatures, numSteps, numGroups, hgNumFeature, hgNumKeypoints, numFusionBlock, detachAttention,
                inChannels, outChannels, scale, Attention.LANDMARKS);
    }

    public DicConfig {
        require(attention != null, "attention must be given");
        require(numFeatures > 0, "num_features must be positive, got " + numFeatures);
        require(numSteps > 0, "num_steps must be positive, got " + numSteps);
        require(numGroups > 0, "num_groups must be positive, got " + numGroups);
        require(hgNumFeature > 0 && hgNumFeature % 4 == 0,
                "hg_num_feature must be a positive multiple of 4, got " + hgNumFeature);
        LandmarkScheme.forPoints(hgNumKeypoints);
        require(numFusionBlock >= 0, "num_fusion_block must not be negative, got " + numFusionBlock);
        require(inChannels > 0, "in_channels must be positive, got " + inChannels);
        require(outChannels > 0, "out_channels must be positive, got " + outChannels);
        require(scale == 8, "DIC is defined for scale 8 only, got " + scale);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** This network with steps 2 to T attending to {@code a} (the same weights fit). */
    public DicConfig withAttention(Attention a) {
        return new DicConfig(numFeatures, numSteps, numGroups, hgNumFeature, hgNumKeypoints, numFusionBlock,
                detachAttention, inChannels, outChannels, scale, a);
    }

    public LandmarkScheme landmarkScheme() {
        return LandmarkScheme.forPoints(hgNumKeypoints);
    }

    private static Map<String, Function<DicConfig, Object>> keys() {
        Map<String, Function<DicConfig, Object>> k = new LinkedHashMap<>();
        k.put("num_features", DicConfig::numFeatures);
        k.put("num_steps", DicConfig::numSteps);
        k.put("num_groups", DicConfig::numGroups);
        k.put("hg_num_feature", DicConfig::hgNumFeature);
        k.put("hg_num_keypoints", DicConfig::hgNumKeypoints);
        k.put("num_fusion_block", DicConfig::numFusionBlock);
        k.put("detach_attention", DicConfig::detachAttention);
        k.put("in_channels", DicConfig::inChannels);
        k.put("out_channels", DicConfig::outChannels);
        k.put("scale", DicConfig::scale);
        return k;
    }

    /** The {@code networks} section, as the authors' option files write it. */
    public ObjectNode toJson() {
        ObjectMapper json = new ObjectMapper();
        ObjectNode node = json.createObjectNode();
        node.put("which_model", MODEL_NAME);
        KEYS.forEach((key, get) -> node.set(key, json.valueToTree(get.apply(this))));
        if (attention != Attention.LANDMARKS) {
            node.put(ATTENTION_KEY, attention.key());
        }
        return node;
    }

    /**
     * Reads a {@code networks} section, or a whole option file that has one. Every key of the section must be
     * known; the authors' ten are required, dic4j's {@code attention} is optional.
     *
     * @param ignored receives the keys that were accepted but mean nothing here
     * @throws IllegalArgumentException naming the unknown, missing or mistyped key
     */
    public static DicConfig fromJson(JsonNode root, List<String> ignored) {
        if (root.has("networks")) {
            root.fieldNames().forEachRemaining(k -> {
                if (!k.equals("networks")) {
                    ignored.add(k);
                }
            });
        }
        JsonNode section = root.has("networks") ? root.get("networks") : root;
        if (!section.isObject()) {
            throw new IllegalArgumentException("'networks' must be a JSON object");
        }
        // the authors' option files give the scale at the top level; their parser copies it into networks
        JsonNode networks = section.has("scale") || !root.has("scale") ? section
                : ((ObjectNode) section.deepCopy()).set("scale", root.get("scale"));
        List<String> unknown = new ArrayList<>();
        networks.fieldNames().forEachRemaining(k -> {
            if (k.equals("which_model")) {
                String model = networks.get(k).asText();
                if (!model.equalsIgnoreCase(MODEL_NAME)) {
                    throw new IllegalArgumentException("which_model is '" + model + "'; dic4j implements "
                            + MODEL_NAME);
                }
            } else if (IGNORED_KEYS.contains(k)) {
                ignored.add("networks." + k);
            } else if (!KEYS.containsKey(k) && !k.equals(ATTENTION_KEY)) {
                unknown.add(k);
            }
        });
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown key(s) in networks: " + String.join(", ", unknown)
                    + " (known: " + String.join(", ", KEYS.keySet()) + ", and dic4j's " + ATTENTION_KEY + ")");
        }
        List<String> missing = KEYS.keySet().stream().filter(k -> !networks.has(k)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("missing key(s) in networks: " + String.join(", ", missing));
        }
        return new DicConfig(
                intKey(networks, "num_features"),
                intKey(networks, "num_steps"),
                intKey(networks, "num_groups"),
                intKey(networks, "hg_num_feature"),
                intKey(networks, "hg_num_keypoints"),
                intKey(networks, "num_fusion_block"),
                boolKey(networks, "detach_attention"),
                intKey(networks, "in_channels"),
                intKey(networks, "out_channels"),
                intKey(networks, "scale"),
                attentionKey(networks));
    }

    private static Attention attentionKey(JsonNode node) {
        JsonNode v = node.get(ATTENTION_KEY);
        if (v == null) {
            return Attention.LANDMARKS;
        }
        for (Attention a : Attention.values()) {
            if (a.key().equals(v.asText()) && v.isTextual()) {
                return a;
            }
        }
        throw new IllegalArgumentException("networks." + ATTENTION_KEY + " must be \"landmarks\" or \"uniform\", got "
                + v);
    }

    private static int intKey(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new IllegalArgumentException("networks." + key + " must be an integer, got " + v);
        }
        return v.intValue();
    }

    private static boolean boolKey(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (!v.isBoolean()) {
            throw new IllegalArgumentException("networks." + key + " must be true or false, got " + v);
        }
        return v.booleanValue();
    }
}
