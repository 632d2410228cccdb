package io.dic4j.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.dic4j.data.FaceSample;
import io.dic4j.image.ComparisonGrid;
import io.dic4j.image.Images;
import io.dic4j.image.LandmarkOverlay;
import io.dic4j.infer.LandmarkDetector;
import io.dic4j.metrics.Nme;
import io.dic4j.model.LandmarkNet;
import io.dic4j.weights.HourglassWeights;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Pre-training the feedback hourglass alone on HR faces (what the authors' {@code FB_HG_68_*.pth} is): loss
 * Σ_t w_align·distance(heatmaps_t, GT); validation by inter-ocular NME on the validation faces.
 */
public final class LandmarkTask implements TrainingTask {

    public static final String NME = "nme";
    public static final String GRID = "landmarks.png";

    private final LandmarkNet net;
    private final DicLoss.Term loss;
    private final NDManager manager;

    public LandmarkTask(LandmarkNet net, DicLoss.Term loss, NDManager manager) {
        this.net = net;
        this.loss = loss;
        this.manager = manager;
    }

    /** The hourglass of the options' network, with PyTorch's default initialisation (or fine-tuned from a file). */
    public static LandmarkTask create(TrainOptions options, NDManager manager) throws IOException {
        LandmarkNet net = LandmarkNet.of(options.networks());
        ReferenceInit.seed(options.solver().seed());
        int size = options.train().sampling().hrSize();
        net.initialize(manager, DataType.FLOAT32, new Shape(1, net.imageChannels(), size, size));
        if (options.solver().pretrain() == TrainOptions.Pretrain.FINETUNE) {
            HourglassWeights.loadInto(options.solver().pretrainedPath(), net);
        }
        return new LandmarkTask(net, options.solver().loss().align(), manager);
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
    public DicLoss.Terms loss(NDManager m, List<FaceSample> batch) {
        Batches.Tensors t = Batches.tensors(m, batch);
        NDList heatmaps = net.forward(new ParameterStore(m, false), new NDList(t.hr()), true);
        var align = loss.sum(heatmaps, t.heatmaps());
        return new DicLoss.Terms(m.zeros(new Shape()), align, align);
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
                List<float[][]> found = detector.detect(batch.stream().map(FaceSample::hr).toList());
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
