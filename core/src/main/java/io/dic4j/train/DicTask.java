package io.dic4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dic4j.data.FaceSample;
import io.dic4j.eval.Evaluation;
import io.dic4j.eval.Upscaler;
import io.dic4j.infer.DicPredictor;
import io.dic4j.metrics.MetricMode;
import io.dic4j.model.DicConfig;
import io.dic4j.model.DicNet;
import io.dic4j.model.layers.ForwardMode;
import io.dic4j.model.layers.ForwardPass;
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
    private final boolean recomputeSteps;
    private final NDManager manager;

    /**
     * @param recomputeSteps back-propagate step by step, recomputing each step's activations
     *     ({@link StepwiseBackward}): memory of one step instead of all
     * @param manager the manager the network was initialised in (validation arrays live under it)
     */
    public DicTask(DicNet net, DicLoss loss, boolean recomputeSteps, NDManager manager) {
        this.net = net;
        this.loss = loss;
        this.recomputeSteps = recomputeSteps;
        this.manager = manager;
    }

    /**
     * A DIC ready to train from the options: initialised as the reference does, then the fine-tuned model's
     * weights ({@code pretrain: true}; the authors' checkpoints are accepted), then the pre-trained hourglass
     * ({@code HG_pretrained_path}) loaded. With both, the hourglass replaces the fine-tuned model's: how a model is
     * given a better landmark branch and its recovery branch taught to follow it. A resumed run's weights come from
     * its checkpoint instead.
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
        }
        if (s.hourglassPretrainedPath() != null) {
            HourglassWeights.loadInto(s.hourglassPretrainedPath(), net);
        }
        return new DicTask(net, s.loss(), s.recomputeSteps(), manager);
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

    @Override
    public Losses backward(NDManager m, List<FaceSample> batch, GradientCollector gc) {
        return backward(m, batch, gc, (sr, hr) -> Map.of());
    }

    /** Extra weighted terms on the last step's SR, by log name, given the batch's HR faces. */
    public interface LastStepTerms {
        Map<String, NDArray> of(NDArray sr, NDArray hr);
    }

    /**
     * Forward and backward with extra weighted terms on the last step's SR (DICGAN's), whole-graph or step by
     * step ({@code solver.recompute_steps}). The losses' fake is the last SR, detached.
     */
    Losses backward(NDManager m, List<FaceSample> batch, GradientCollector gc,
            LastStepTerms lastStepTerms) {
        Batches.Tensors t = Batches.tensors(m, batch);
        if (recomputeSteps) {
            return StepwiseBackward.run(net, m, t.lr(), t.hr(), t.heatmaps(), loss, lastStepTerms, gc);
        }
        DicNet.Steps out = DicNet.Steps.of(net.forward(ForwardPass.of(m, ForwardMode.RECORDED), new NDList(t.lr()), true));
        Map<String, NDArray> terms = loss.terms(out.sr(), t.hr(), out.heatmaps(), t.heatmaps());
        NDArray lastSr = out.sr().get(out.sr().size() - 1);
        terms.putAll(lastStepTerms.of(lastSr, t.hr()));
        Losses l = Losses.sum(terms);
        gc.backward(l.total());
        return l.forAdversary(t.hr(), lastSr.stopGradient());
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
