package io.dic4j.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dic4j.landmarks.LandmarkScheme;
import io.dic4j.util.JsonSection;
import io.dic4j.util.OptionKey;
import java.util.List;
import java.util.Locale;

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

    private static final OptionKey<DicConfig, Integer> NUM_FEATURES =
            OptionKey.integer("num_features", DicConfig::numFeatures);
    private static final OptionKey<DicConfig, Integer> NUM_STEPS = OptionKey.integer("num_steps", DicConfig::numSteps);
    private static final OptionKey<DicConfig, Integer> NUM_GROUPS =
            OptionKey.integer("num_groups", DicConfig::numGroups);
    private static final OptionKey<DicConfig, Integer> HG_NUM_FEATURE =
            OptionKey.integer("hg_num_feature", DicConfig::hgNumFeature);
    private static final OptionKey<DicConfig, Integer> HG_NUM_KEYPOINTS =
            OptionKey.integer("hg_num_keypoints", DicConfig::hgNumKeypoints);
    private static final OptionKey<DicConfig, Integer> NUM_FUSION_BLOCK =
            OptionKey.integer("num_fusion_block", DicConfig::numFusionBlock);
    private static final OptionKey<DicConfig, Boolean> DETACH_ATTENTION =
            OptionKey.bool("detach_attention", DicConfig::detachAttention);
    private static final OptionKey<DicConfig, Integer> IN_CHANNELS =
            OptionKey.integer("in_channels", DicConfig::inChannels);
    private static final OptionKey<DicConfig, Integer> OUT_CHANNELS =
            OptionKey.integer("out_channels", DicConfig::outChannels);
    private static final OptionKey<DicConfig, Integer> SCALE = OptionKey.integer("scale", DicConfig::scale);
    /** dic4j's key: optional, written only when not {@link Attention#LANDMARKS}, so the authors' files stay as is. */
    private static final OptionKey<DicConfig, Attention> ATTENTION = OptionKey.choice("attention",
            List.of(Attention.values()), Attention::key, Attention.LANDMARKS, DicConfig::attention);

    /** The {@code networks} section's keys, in the order of the record: what is read and written. */
    private static final List<OptionKey<DicConfig, ?>> KEYS = List.of(NUM_FEATURES, NUM_STEPS, NUM_GROUPS,
            HG_NUM_FEATURE, HG_NUM_KEYPOINTS, NUM_FUSION_BLOCK, DETACH_ATTENTION, IN_CHANNELS, OUT_CHANNELS, SCALE,
            ATTENTION);

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

    /** The {@code networks} section, as the authors' option files write it. */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("which_model", MODEL_NAME);
        OptionKey.writeAll(KEYS, this, node);
        return node;
    }

    /**
     * Reads a {@code networks} section, or a whole option file that has one. Every key of the section must be
     * known; the authors' ten are required, dic4j's {@code attention} is optional.
     *
     * @param ignored receives the keys that were accepted but mean nothing here
     * @throws IllegalArgumentException naming the unknown, missing or mistyped key (see {@link JsonSection})
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
        // the authors' option files give the scale at the top level; their parser copies it into networks
        JsonNode networks = !section.isObject() || section.has("scale") || !root.has("scale") ? section
                : ((ObjectNode) section.deepCopy()).set("scale", root.get("scale"));
        JsonSection s = new JsonSection(networks, "networks.", ignored);
        s.expect("which_model", MODEL_NAME);
        s.ignore("_comment");
        DicConfig config = new DicConfig(NUM_FEATURES.read(s), NUM_STEPS.read(s), NUM_GROUPS.read(s),
                HG_NUM_FEATURE.read(s), HG_NUM_KEYPOINTS.read(s), NUM_FUSION_BLOCK.read(s), DETACH_ATTENTION.read(s),
                IN_CHANNELS.read(s), OUT_CHANNELS.read(s), SCALE.read(s), ATTENTION.read(s));
        s.finish();
        return config;
    }
}
