package io.dic4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dic4j.data.FaceSample;
import io.dic4j.eval.Evaluation;
import io.dic4j.eval.Upscaler;
import io.dic4j.infer.DicPredictor;
import io.dic4j.metrics.MetricMode;
import io.dic4j.model.DicConfig;
import io.dic4j.model.DicNet;
import io.dic4j.weights.DicWeights;
import io.dic4j.weights.HourglassWeights;
import io.dic4j.weights.StateDict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Training DIC: per-step pixel and heatmap losses; validation by the paper's protocol (PSNR/SSIM on Y, NME). */
public final class DicTask implements TrainingTask {

    public static final String PSNR = "psnr";

    private final DicNet net;
    private final DicLoss loss;
    private final NDManager manager;

    /** @param manager the manager the network was initialised in (validation arrays live under it) */
    public DicTask(DicNet net, DicLoss loss, NDManager manager) {
        this.net = net;
        this.loss = loss;
        this.manager = manager;
    }

    /**
     * A DIC ready to train from the options: initialised as the reference does, then the fine-tuned model's
     * weights ({@code pretrain: true}; the authors' checkpoints are accepted) or the pre-trained hourglass
     * ({@code HG_pretrained_path}) loaded. A resumed run's weights come from its checkpoint instead.
     */
    public static DicTask create(TrainOptions options, NDManager manager) throws IOException {
        DicConfig c = options.networks();
        DicNet net = DicNet.builder().setConfig(c).build();
        ReferenceInit.apply(net, net.alignment(), options.solver().seed());
        net.initialize(manager, DataType.FLOAT32, new Shape(1, c.inChannels(), DicPredictor.INPUT_SIZE,
                DicPredictor.INPUT_SIZE));
        TrainOptions.Solver s = options.solver();
        if (s.pretrain() == TrainOptions.Pretrain.FINETUNE) {
            StateDict.read(s.pretrainedPath()).loadInto(net);
        } else if (s.hourglassPretrainedPath() != null) {
            HourglassWeights.loadInto(s.hourglassPretrainedPath(), net);
        }
        return new DicTask(net, s.loss(), manager);
    }

    @Override
    public Block network() {
        return net;
    }

    @Override
    public Block hourglass() {
        return net.alignment();
    }

    @Override
    public Map<String, String> modelMetadata() {
        try {
            return Map.of(DicWeights.CONFIG_METADATA, new ObjectMapper().writeValueAsString(net.config().toJson()),
                    "format", "pt");
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A batch's tensors and DIC's outputs for them, in training mode. */
    record Forward(Batches.Tensors tensors, DicNet.Steps steps) {

        NDArray lastSr() {
            return steps.sr().get(steps.sr().size() - 1);
        }
    }

    Forward forward(NDManager m, List<FaceSample> batch) {
        Batches.Tensors t = Batches.tensors(m, batch);
        return new Forward(t, DicNet.Steps.of(net.forward(new ParameterStore(m, false), new NDList(t.lr()), true)));
    }

    /** The configured per-step terms of a forward pass, by log name. */
    Map<String, NDArray> terms(Forward f) {
        return loss.terms(f.steps().sr(), f.tensors().hr(), f.steps().heatmaps(), f.tensors().heatmaps());
    }

    @Override
    public Losses loss(NDManager m, List<FaceSample> batch) {
        return Losses.sum(terms(forward(m, batch)));
    }

    @Override
    public Map<String, Double> validate(Iterator<List<FaceSample>> batches, int gridFaces, Path dir)
            throws IOException {
        try (DicPredictor predictor = DicPredictor.over(net, manager)) {
            Evaluation.Settings settings = new Evaluation.Settings(MetricMode.REFERENCE, net.config().scale(),
                    gridFaces);
            Evaluation.Summary s = new Evaluation(Upscaler.dic(predictor), settings, dir).run(batches, n -> { });
            Map<String, Double> scores = new LinkedHashMap<>();
            scores.put(PSNR, s.psnr());
            scores.put("ssim", s.ssim());
            scores.put("ssim_standard", s.ssimStandard());
            if (s.nme() != null) {
                scores.put("nme", s.nme());
            }
            scores.put("bicubic_psnr", s.bicubicPsnr());
            return scores;
        }
    }

    @Override
    public String bestMetric() {
        return PSNR;
    }

    @Override
    public boolean higherIsBetter() {
        return true;
    }

    @Override
    public void saveModel(Path file) throws IOException {
        DicWeights.save(net, file);
    }
}
