package io.dic4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import io.dic4j.data.FaceSample;
import io.dic4j.image.ComparisonGrid;
import io.dic4j.image.Images;
import io.dic4j.image.LandmarkOverlay;
import io.dic4j.infer.LandmarkDetector;
import io.dic4j.landmarks.Peaks;
import io.dic4j.metrics.Nme;
import io.dic4j.model.DicConfig;
import io.dic4j.model.LandmarkModel;
import io.dic4j.model.LandmarkNet;
import io.dic4j.model.StackedHourglass;
import io.dic4j.model.layers.ForwardMode;
import io.dic4j.model.layers.ForwardPass;
import io.dic4j.weights.HourglassWeights;
import io.dic4j.weights.StateDict;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Training a landmark model on HR faces: DIC's feedback hourglass alone (what the authors' {@code FB_HG_68_*.pth}
 * is) or the evaluation's stacked hourglass (what their {@code HG_68_CelebA.pth} is). Loss Σ w_align·distance
 * (heatmaps, GT) over the steps, or over the stacks (intermediate supervision); validation by inter-ocular NME.
 */
public final class LandmarkTask implements TrainingTask {

    public static final String NME = "nme";
    public static final String GRID = "landmarks.png";

    /** Which landmark model is trained. */
    public enum Architecture {
        /** DIC's feedback hourglass (networks.hg_num_feature, hg_num_keypoints, num_steps). */
        FEEDBACK,
        /** The evaluation's stacked hourglass with batch-norm, 4 stacks (networks.hg_num_feature, hg_num_keypoints). */
        STACKED
    }

    /** The stacks of the authors' evaluation hourglass. */
    public static final int STACKS = 4;

    private final LandmarkModel net;
    private final DicLoss.Term loss;
    private final NDManager manager;

    public LandmarkTask(LandmarkModel net, DicLoss.Term loss, NDManager manager) {
        this.net = net;
        this.loss = loss;
        this.manager = manager;
    }

    /** The model of the options' network, with PyTorch's default initialisation (or fine-tuned from a file). */
    public static LandmarkTask create(TrainOptions options, Architecture architecture, NDManager manager)
            throws IOException {
        DicConfig c = options.networks();
        LandmarkModel net = architecture == Architecture.FEEDBACK ? LandmarkNet.of(c)
                : StackedHourglass.builder().setFeatures(c.hgNumFeature()).setStacks(STACKS)
                        .setKeypoints(c.hgNumKeypoints()).optImageChannels(c.outChannels()).build();
        ReferenceInit.seed(options.solver().seed());
        int size = options.train().sampling().hrSize();
        net.initialize(manager, DataType.FLOAT32, new Shape(1, net.imageChannels(), size, size));
        DicLoss.Term align = options.solver().loss().align();
        if (align == null) {
            throw new IllegalArgumentException("training a landmark model needs solver.loss.align");
        }
        if (options.solver().pretrain() == TrainOptions.Pretrain.FINETUNE) {
            Path from = options.solver().pretrainedPath();
            if (net instanceof LandmarkNet) {
                HourglassWeights.loadInto(from, net);
            } else {
                StateDict.read(from).loadInto(net);
            }
        }
        return new LandmarkTask(net, align, manager);
    }

    @Override
    public Block network() {
        return net;
    }

    @Override
    public Block hourglass() {
        return null;
    }

    @Override
    public Map<String, String> modelMetadata() {
        return HourglassWeights.metadata(net);
    }

    @Override
    public Losses backward(NDManager m, List<FaceSample> batch, GradientCollector gc) {
        Batches.Tensors t = Batches.tensors(m, batch);
        List<NDArray> heatmaps = net.heatmaps(ForwardPass.of(m, ForwardMode.RECORDED), t.hr(), true);
        Losses l = Losses.sum(Map.of(DicLoss.ALIGN, loss.sum(heatmaps, t.heatmaps())));
        gc.backward(l.total());
        return l;
    }

    @Override
    public Map<String, Double> validate(Iterator<List<FaceSample>> batches, int gridFaces, Path dir)
            throws IOException {
        List<List<BufferedImage>> rows = new ArrayList<>();
        double sum = 0;
        int n = 0;
        try (LandmarkDetector detector = LandmarkDetector.over(net, manager)) {
            while (batches.hasNext()) {
                List<FaceSample> batch = batches.next();
                // the decoding of every validation so far, so that a run's log stays comparable
                List<float[][]> found = detector.detect(batch.stream().map(FaceSample::hr).toList(),
                        Peaks.Decoding.ARGMAX);
                for (int i = 0; i < batch.size(); i++) {
                    FaceSample s = batch.get(i);
                    sum += Nme.of(found.get(i), s.landmarks(), Nme.Normalisation.INTER_OCULAR);
                    n++;
                    if (rows.size() < gridFaces) {
                        rows.add(List.of(LandmarkOverlay.draw(s.hr(), found.get(i)),
                                LandmarkOverlay.draw(s.hr(), toFloat(s.landmarks()))));
                    }
                }
            }
        }
        if (!rows.isEmpty()) {
            Files.createDirectories(dir);
            Images.writePng(ComparisonGrid.draw(List.of("predicted", "ground truth"), rows,
                    rows.get(0).get(0).getWidth()), dir.resolve(GRID));
        }
        return Map.of(NME, n == 0 ? Double.NaN : sum / n);
    }

    private static float[][] toFloat(double[][] points) {
        float[][] out = new float[points.length][];
        for (int i = 0; i < points.length; i++) {
            out[i] = new float[] {(float) points[i][0], (float) points[i][1]};
        }
        return out;
    }

    @Override
    public String bestMetric() {
        return NME;
    }

    @Override
    public boolean higherIsBetter() {
        return false;
    }

    @Override
    public void saveModel(Path file) throws IOException {
        HourglassWeights.save(net, file);
    }
}
