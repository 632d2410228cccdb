package io.dic4j.zoo;

import ai.djl.repository.zoo.ModelZoo;
import io.dic4j.weights.BuiltInModel;
import java.util.Set;

/**
 * dic4j's models for DJL's {@code Criteria}, group {@value #GROUP_ID}:
 * <ul>
 *   <li>{@value #BUILT_IN_ARTIFACT}: the model that ships inside dic4j (docs/model-card.md);</li>
 *   <li>{@value #WEIGHTS_ARTIFACT}: weights given as {@code optArgument("weights", path)}: the authors' .pth
 *       state_dict or solver checkpoint, .npz, or a dic4j .safetensors; {@code optArgument("options", path)}
 *       names an authors' option file to take the network's shape from instead of inferring it.</li>
 * </ul>
 * Either takes {@code optArgument("precision", "bf16")} to run the convolutions in bfloat16
 * ({@link io.dic4j.infer.Precision}; float32 by default). The types picked with {@code setTypes} choose the output:
 * {@code Image} (the SR face) or {@link io.dic4j.infer.DicOutput} (every step and the landmarks).
 */
public final class DicModelZoo extends ModelZoo {

    public static final String GROUP_ID = "io.dic4j";
    public static final String BUILT_IN_ARTIFACT = BuiltInModel.NAME;
    public static final String WEIGHTS_ARTIFACT = "dic";

    public DicModelZoo() {
        addModel(new DicModelLoader(BUILT_IN_ARTIFACT, true));
        addModel(new DicModelLoader(WEIGHTS_ARTIFACT, false));
    }

    @Override
    public String getGroupId() {
        return GROUP_ID;
    }

    @Override
    public Set<String> getSupportedEngines() {
        return Set.of("PyTorch");
    }
}
