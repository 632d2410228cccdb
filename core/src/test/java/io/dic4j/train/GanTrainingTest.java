package io.dic4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dic4j.data.FaceDataset;
import io.dic4j.data.FaceLoader;
import io.dic4j.data.FaceSample;
import io.dic4j.data.SampleMaker;
import io.dic4j.model.DicNet;
import io.dic4j.model.LightCnn;
import io.dic4j.weights.DicWeights;
import io.dic4j.weights.StateDict;
import io.dic4j.weights.StateDictNames;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * DICGAN training on synthetic faces: the generator's update leaves the discriminator as it was and the
 * discriminator's leaves the generator; 50 steps give finite losses; a resumed run equals a straight one.
 */
class GanTrainingTest {

    @TempDir
    static Path dir;
    static Path generator;
    static Path extractor;

    /** Faces, a (randomly initialised) tiny DIC to start from and a LightCNN feature extractor. */
    @BeforeAll
    static void prepare() throws IOException {
        SyntheticTraining.writeFaces(dir, 8, 2);
        generator = dir.resolve("dic.safetensors");
        extractor = dir.resolve("lightcnn_feature.safetensors");
        try (NDManager m = NDManager.newBaseManager()) {
            TrainOptions dic = SyntheticTraining.options(SyntheticTraining.json(dir, 1, 1, 1, 1, 1e-4, null, 2));
            DicNet net = DicNet.builder().setConfig(dic.networks()).build();
            net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 16, 16));
            DicWeights.save(net, generator);
            LightCnn f = LightCnn.featureExtractor();
            f.initialize(m, DataType.FLOAT32, new Shape(1, 3, 128, 128));
            StateDict.of(f, Map.of("format", "pt")).writeSafetensors(extractor);
        }
    }

    /** DICGAN options over the synthetic faces: the tiny DIC's, with the authors' GAN keys and weights. */
    static TrainOptions options(int iterations, int valFreq) throws IOException {
        return options(iterations, valFreq, false);
    }

    static TrainOptions options(int iterations, int valFreq, boolean recomputeSteps) throws IOException {
        ObjectNode o = (ObjectNode) new ObjectMapper().readTree(
                SyntheticTraining.json(dir, iterations, valFreq, 1000, 1, 1e-4, null, 2));
        o.put("mode", TrainOptions.GAN_MODE);
        o.putObject("net_D").put("which_model_D", "LightCNN");
        o.putObject("net_F").put("which_model_F", "LightCNN");
        ObjectNode s = (ObjectNode) o.get("solver");
        s.put("learning_rate_G", s.remove("learning_rate").asDouble());
        s.put("weight_decay_G", s.remove("weight_decay").asDouble());
        s.put("learning_rate_D", 1e-4);
        s.put("weight_decay_D", 0);
        s.put("pretrain", true);
        s.put("generator_pretrained_path", generator.toString());
        s.put("extractor_pretrained_path", extractor.toString());
        s.put("recompute_steps", recomputeSteps);
        ObjectNode loss = (ObjectNode) s.get("loss");
        loss.putObject("feature").put("loss_type", "l1").put("weight", 0.1);
        loss.putObject("GAN").put("loss_type", "GAN").put("gan_type", "vanilla").put("weight", 0.005);
        return TrainOptions.fromJson(o, new ArrayList<>());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void eachUpdateChangesOnlyItsOwnNetwork(boolean recomputeSteps) throws IOException {
        TrainOptions options = options(1, 1000, recomputeSteps);
        TrainOptions.Dataset d = options.train();
        try (NDManager manager = NDManager.newBaseManager();
                FaceLoader loader = new FaceLoader(FaceDataset.open(d.annotations(), d.images()),
                        new SampleMaker(d.sampling()), FaceLoader.Options.inOrder(2, 1))) {
            GanTask task = GanTask.create(options, manager);
            Block g = task.network();
            Block discriminator = task.adversary().network();
            Trainer trainer = new Trainer(task, new Trainer.Settings(options.solver(), 1, 0, TrainingListener.NONE), loader, null,
                    dir.resolve("updates-" + recomputeSteps));
            trainer.start(null);
            List<FaceSample> batch = loader.batches(0, 1).next();

            Map<String, float[]> g0 = snapshot(g);
            Map<String, float[]> d0 = snapshot(discriminator);
            try (Trainer.Update u = trainer.update(batch, 0)) {
                Map<String, float[]> g1 = snapshot(g);
                assertUnchanged(d0, discriminator, "the generator's update changed the discriminator");
                assertTrue(changed(g0, g1) > 0, "the generator's update changed nothing");
                assertTrue(u.logged().keySet().containsAll(List.of(DicLoss.PIXEL, DicLoss.ALIGN, GanTask.FEATURE,
                        GanTask.ADVERSARIAL, Trainer.TOTAL)), u.logged().toString());

                Map<String, Float> logged = trainer.updateAdversary(u, 0);
                assertUnchanged(g1, g, "the discriminator's update changed the generator");
                Map<String, float[]> d1 = snapshot(discriminator);
                int dChanged = changed(d0, d1);
                System.out.printf("GAN updates: %d generator tensors changed by G, %d of %d discriminator tensors by D;"
                        + " %s %s%n", changed(g0, g1), dChanged, d0.size(), u.logged(), logged);
                // (a layer far from the logit can get gradients below Adam's eps with random weights: not asserted)
                assertTrue(dChanged > 0, "the discriminator's update changed nothing");
                assertFalse(Arrays.equals(d0.get("classifier.2.weight"), d1.get("classifier.2.weight")),
                        "the score layer moved");
                assertTrue(logged.keySet().containsAll(List.of(Trainer.ADVERSARY_TOTAL, GanTask.D_REAL,
                        GanTask.D_FAKE)), logged.toString());
            }
        }
    }

    @Test
    void fiftyStepsHaveFiniteLossesAndTheCheckpointHoldsBothNetworks() throws IOException {
        Path out = dir.resolve("fifty");
        TrainingRun.run(options(50, 50), TrainingRun.Kind.DIC, out, null, TrainingListener.NONE);
        List<JsonNode> lines = SyntheticTraining.lines(out, Trainer.TRAIN_LINE);
        assertEquals(50, lines.size());
        for (JsonNode line : lines) {
            for (String key : List.of(DicLoss.PIXEL, DicLoss.ALIGN, GanTask.FEATURE, GanTask.ADVERSARIAL,
                    Trainer.TOTAL, Trainer.ADVERSARY_TOTAL, GanTask.D_REAL, GanTask.D_FAKE)) {
                assertTrue(line.has(key) && Double.isFinite(line.get(key).asDouble()), key + " in " + line);
            }
        }
        System.out.println("GAN step 1: " + lines.get(0) + "\nGAN step 50: " + lines.get(49));
        assertEquals(1, SyntheticTraining.lines(out, Trainer.VAL_LINE).size());
        Checkpoint c = Checkpoint.read(out.resolve(Trainer.CHECKPOINTS).resolve(Trainer.LAST));
        assertNotNull(c.adversaryWeights());
        assertEquals(22, c.adversaryWeights().tensors().size(), "LightCNN-9's 22 tensors");
        // the model file is a DIC's, without the discriminator, which has a file of its own
        assertFalse(StateDict.read(out.resolve(Trainer.MODEL)).tensors().keySet().stream()
                .anyMatch(k -> k.startsWith(StateDict.ADVERSARY_PREFIX)));
        try (NDManager m = NDManager.newBaseManager()) {
            LightCnn d = LightCnn.discriminator();
            d.initialize(m, DataType.FLOAT32, new Shape(1, 3, 128, 128));
            StateDict.read(out.resolve(Trainer.ADVERSARY_MODEL)).loadInto(d);
            assertEquals(0.0, maxDiff(StateDict.of(d, Map.of()), c.adversaryWeights()), "the last checkpoint's");
        }
    }

    @Test
    void resumingEqualsTrainingStraight() throws IOException {
        Path straight = dir.resolve("straight");
        Path resumed = dir.resolve("resumed");
        TrainingRun.run(options(4, 1000), TrainingRun.Kind.DIC, straight, null, TrainingListener.NONE);
        TrainingRun.run(options(2, 1000), TrainingRun.Kind.DIC, resumed, null, TrainingListener.NONE);
        TrainingRun.run(options(4, 1000), TrainingRun.Kind.DIC, resumed,
                resumed.resolve(Trainer.CHECKPOINTS).resolve(Trainer.LAST), TrainingListener.NONE);
        Checkpoint a = Checkpoint.read(straight.resolve(Trainer.CHECKPOINTS).resolve(Trainer.LAST));
        Checkpoint b = Checkpoint.read(resumed.resolve(Trainer.CHECKPOINTS).resolve(Trainer.LAST));
        assertEquals(0.0, maxDiff(a.weights(), b.weights()), "generator");
        assertEquals(0.0, maxDiff(a.adversaryWeights(), b.adversaryWeights()), "discriminator");
    }

    private static Map<String, float[]> snapshot(Block b) {
        Map<String, float[]> out = new LinkedHashMap<>();
        StateDictNames.torchNames(b).forEach((k, p) -> out.put(k, p.getArray().toFloatArray()));
        return out;
    }

    private static void assertUnchanged(Map<String, float[]> before, Block after, String message) {
        Map<String, float[]> now = snapshot(after);
        assertEquals(0, changed(before, now), message);
    }

    private static int changed(Map<String, float[]> a, Map<String, float[]> b) {
        int n = 0;
        for (String k : a.keySet()) {
            if (!Arrays.equals(a.get(k), b.get(k))) {
                n++;
            }
        }
        return n;
    }

    private static double maxDiff(StateDict a, StateDict b) {
        double worst = 0;
        for (String k : a.tensors().keySet()) {
            float[] x = a.tensors().get(k).values();
            float[] y = b.tensors().get(k).values();
            for (int i = 0; i < x.length; i++) {
                worst = Math.max(worst, Math.abs(x[i] - y[i]));
            }
        }
        return worst;
    }
}
