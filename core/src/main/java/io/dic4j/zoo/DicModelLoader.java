package io.dic4j.zoo;

import ai.djl.Application;
import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.repository.MRL;
import ai.djl.repository.Repository;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelLoader;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorFactory;
import ai.djl.util.Progress;
import io.dic4j.infer.DicInferenceBlock;
import io.dic4j.infer.Precision;
import io.dic4j.infer.DicTranslatorFactory;
import io.dic4j.model.DicConfig;
import io.dic4j.model.DicNet;
import io.dic4j.util.OptionFiles;
import io.dic4j.weights.BuiltInModel;
import io.dic4j.weights.DicWeights;
import io.dic4j.weights.StateDict;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;

/**
 * Loads a DIC model for a {@code Criteria}: the built-in one, or weights named by the criteria's {@value #WEIGHTS}
 * argument (the authors' .pth state_dict or solver checkpoint, .npz, or a dic4j .safetensors), with the network's
 * shape inferred from the tensors or read from the authors' option file named by {@value #OPTIONS}.
 */
final class DicModelLoader implements ModelLoader {

    /** The argument that names the weights of artifact {@link DicModelZoo#WEIGHTS_ARTIFACT}. */
    static final String WEIGHTS = "weights";
    /** The argument that names an option file whose {@code networks} section gives the network's shape. */
    static final String OPTIONS = "options";
    /** The argument that names the precision, {@code fp32} (the default) or {@code bf16} ({@link Precision}). */
    static final String PRECISION = "precision";

    private static final Repository REPOSITORY = Repository.newInstance(DicModelZoo.GROUP_ID, "");

    private final String artifactId;
    private final boolean builtIn;

    DicModelLoader(String artifactId, boolean builtIn) {
        this.artifactId = artifactId;
        this.builtIn = builtIn;
    }

    @Override
    public String getGroupId() {
        return DicModelZoo.GROUP_ID;
    }

    @Override
    public String getArtifactId() {
        return artifactId;
    }

    @Override
    public Application getApplication() {
        return Application.CV.IMAGE_ENHANCEMENT;
    }

    @Override
    public MRL getMrl() {
        return MRL.undefined(REPOSITORY, DicModelZoo.GROUP_ID, artifactId);
    }

    @Override
    public <I, O> ZooModel<I, O> loadModel(Criteria<I, O> criteria)
            throws IOException, ModelNotFoundException, MalformedModelException {
        Map<String, Object> arguments = criteria.getArguments() == null ? Map.of() : criteria.getArguments();
        StateDict weights = builtIn ? BuiltInModel.read() : StateDict.read(path(arguments, WEIGHTS, true));
        Path options = path(arguments, OPTIONS, false);
        DicConfig config = options == null ? null : DicConfig.fromJson(OptionFiles.read(options), new ArrayList<>());
        Precision precision = precision(arguments);
        Device device = criteria.getDevice() != null ? criteria.getDevice() : Device.cpu();
        Model model = Model.newInstance(builtIn ? BuiltInModel.NAME : artifactId, device, "PyTorch");
        try {
            DicNet net;
            try {
                net = DicWeights.load(weights, config, model.getNDManager());
            } catch (IllegalArgumentException e) {
                throw new MalformedModelException("not DIC weights " + (builtIn ? BuiltInModel.NAME
                        : arguments.get(WEIGHTS)) + ": " + e.getMessage(), e);
            }
            model.setBlock(new DicInferenceBlock(net, model.getNDManager(), precision));
            TranslatorFactory factory = criteria.getTranslatorFactory() != null ? criteria.getTranslatorFactory()
                    : new DicTranslatorFactory();
            Translator<I, O> translator = factory.newInstance(criteria.getInputClass(), criteria.getOutputClass(),
                    model, arguments);
            return new ZooModel<>(model, translator);
        } catch (TranslateException e) {
            model.close();
            throw new ModelNotFoundException(e.getMessage(), e);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private static Precision precision(Map<String, Object> arguments) throws MalformedModelException {
        Object value = arguments.get(PRECISION);
        try {
            return value == null ? Precision.FP32 : Precision.of(value.toString());
        } catch (IllegalArgumentException e) {
            throw new MalformedModelException("argument \"" + PRECISION + "\": " + e.getMessage(), e);
        }
    }

    private Path path(Map<String, Object> arguments, String key, boolean required) throws ModelNotFoundException {
        Object value = arguments.get(key);
        if (value == null) {
            if (required) {
                throw new ModelNotFoundException("model " + DicModelZoo.GROUP_ID + ":" + artifactId
                        + " needs the argument \"" + key + "\": optArgument(\"" + key + "\", path to the weights)");
            }
            return null;
        }
        return value instanceof Path p ? p : Path.of(value.toString());
    }

    @Override
    public <I, O> boolean isDownloaded(Criteria<I, O> criteria) {
        return true;
    }

    @Override
    public <I, O> void downloadModel(Criteria<I, O> criteria, Progress progress) {
        // the built-in model is on the class path and other weights are local files: nothing is downloaded
    }

    @Override
    public String toString() {
        return DicModelZoo.GROUP_ID + ":" + artifactId;
    }
}
