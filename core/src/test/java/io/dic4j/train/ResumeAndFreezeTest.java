package io.dic4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import io.dic4j.weights.StateDict;
import io.dic4j.weights.StateDictNames;
import io.dic4j.weights.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stopped and resumed run equals a straight one; the hourglass stays frozen until its release step. */
class ResumeAndFreezeTest {

    static final double LR = 1e-3;

    @TempDir
    static Path dir;

    @BeforeAll
    static void faces() throws IOException {
        SyntheticTraining.writeFaces(dir, 12, 4);
    }

    /** Options over those faces: milestones at 2 and 6, validation every 4, batch 2, a log line per iteration. */
    static TrainOptions options(int iterations, Integer release) throws IOException {
        String json = SyntheticTraining.json(dir, iterations, 4, 1000, 1, LR, release, 2)
                .replace("\"lr_steps\": [" + iterations + "]", "\"lr_steps\": [2, 6]");
        return SyntheticTraining.options(json);
    }

    @Test
    void resumingEqualsTrainingStraight() throws IOException {
        Path straight = dir.resolve("straight");
        Path resumed = dir.resolve("resumed");
        TrainingRun.run(options(8, 5), TrainingRun.Kind.DIC, straight, null, TrainingListener.NONE);
        TrainingRun.run(options(4, 5), TrainingRun.Kind.DIC, resumed, null, TrainingListener.NONE);
        Path last = resumed.resolve(Trainer.CHECKPOINTS).resolve(Trainer.LAST);
        assertEquals(4, Checkpoint.read(last).state().step());
        // a new run refuses a folder that holds one
        assertThrows(IllegalArgumentException.class,
                () -> TrainingRun.run(options(8, 5), TrainingRun.Kind.DIC, resumed, null, TrainingListener.NONE));
        TrainingRun.run(options(8, 5), TrainingRun.Kind.DIC, resumed, last, TrainingListener.NONE);

        Map<String, Tensor> a = StateDict.read(straight.resolve(Trainer.MODEL)).tensors();
        Map<String, Tensor> b = StateDict.read(resumed.resolve(Trainer.MODEL)).tensors();
        assertEquals(a.keySet(), b.keySet());
        double worst = 0;
        for (String k : a.keySet()) {
            float[] x = a.get(k).values();
            float[] y = b.get(k).values();
            for (int i = 0; i < x.length; i++) {
                worst = Math.max(worst, Math.abs(x[i] - y[i]));
            }
        }
        assertTrue(worst <= 1e-6, "max abs weight difference " + worst);
        List<JsonNode> la = SyntheticTraining.lines(straight, Trainer.TRAIN_LINE);
        List<JsonNode> lb = SyntheticTraining.lines(resumed, Trainer.TRAIN_LINE);
        assertEquals(8, la.size());
        assertEquals(8, lb.size());
        for (int i = 0; i < 8; i++) {
            for (String key : List.of("step", "lr", "loss_pix", "loss_align", "loss_total")) {
                assertEquals(la.get(i).get(key).asDouble(), lb.get(i).get(key).asDouble(), 0.0, key + " of line " + i);
            }
        }
        assertEquals(LR * 0.25, la.get(7).get("lr").asDouble(), 1e-15, "two milestones passed");
        System.out.printf("resume parity: 8 iterations straight vs 4 + resume + 4: max weight diff %.1e, 8 equal"
                + " loss lines%n", worst);
    }

    @Test
    void hourglassFrozenUntilReleaseThenAFirstAdamStep() throws IOException {
        Map<String, Tensor> initial;
        try (NDManager m = NDManager.newBaseManager()) {
            // the same options and seed give the run's initial weights
            initial = StateDict.of(DicTask.create(options(3, 2), m).network(), Map.of()).tensors();
        }
        Path out = dir.resolve("freeze");
        TrainingRun.run(options(2, 2), TrainingRun.Kind.DIC, out, null, TrainingListener.NONE);
        Map<String, Tensor> frozen = StateDict.read(out.resolve(Trainer.MODEL)).tensors();
        Checkpoint atRelease = Checkpoint.read(out.resolve(Trainer.CHECKPOINTS).resolve(Trainer.LAST));
        assertTrue(atRelease.state().hourglassFrozen());
        int hourglassTensors = 0;
        for (String k : initial.keySet()) {
            if (k.startsWith(StateDictNames.HOURGLASS_PREFIX)) {
                assertArrayEquals(initial.get(k).values(), frozen.get(k).values(), k + " is frozen");
                assertTrue(!atRelease.optimizer().steps().containsKey(k), k + " has no optimizer step yet");
                hourglassTensors++;
            } else if (k.endsWith(".weight") && !k.contains("conv_in.1") && !k.contains("out.1")) {
                assertTrue(!Arrays.equals(initial.get(k).values(), frozen.get(k).values()), k + " trains");
            }
        }
        assertTrue(hourglassTensors > 0);

        TrainingRun.run(options(3, 2), TrainingRun.Kind.DIC, out, out.resolve(Trainer.CHECKPOINTS)
                .resolve(Trainer.LAST), TrainingListener.NONE);
        Checkpoint after = Checkpoint.read(out.resolve(Trainer.CHECKPOINTS).resolve(Trainer.LAST));
        assertTrue(!after.state().hourglassFrozen());
        // iteration 3 runs at lr/2 (milestone 2); Adam's first step moves each weight by about lr·sign(g)
        double lr = LR * 0.5;
        double[] ratios = after.weights().tensors().entrySet().stream()
                .filter(e -> e.getKey().startsWith(StateDictNames.HOURGLASS_PREFIX))
                .flatMapToDouble(e -> {
                    float[] now = e.getValue().values();
                    float[] before = frozen.get(e.getKey()).values();
                    return java.util.stream.IntStream.range(0, now.length)
                            .mapToDouble(i -> Math.abs(now[i] - before[i]) / lr);
                })
                .sorted().toArray();
        double median = ratios[ratios.length / 2];
        double max = ratios[ratios.length - 1];
        assertTrue(median > 0.9 && median < 1.01, "median first step / lr " + median);
        assertTrue(max < 1.01, "largest first step / lr " + max);
        after.optimizer().steps().forEach((k, n) -> {
            if (k.startsWith(StateDictNames.HOURGLASS_PREFIX)) {
                assertEquals(1, n, k + ": one step");
            }
        });
        System.out.printf("freeze: %d hourglass tensors bit-identical for 2 iterations; first step after release:"
                + " median |dw|/lr %.4f, max %.4f%n", hourglassTensors, median, max);
    }

    /**
     * Training with {@code recompute_steps} follows the whole-graph run: the same losses at every iteration. The
     * weights agree but for elements whose gradient is float noise, which Adam's first steps move by up to ±lr
     * whatever their size (gradient parity itself: {@code DicLossGradientTest}).
     */
    @Test
    void recomputingStepsTrainsAsTheWholeGraph() throws IOException {
        Path whole = dir.resolve("whole");
        Path stepwise = dir.resolve("stepwise");
        TrainingRun.run(options(4, 2), TrainingRun.Kind.DIC, whole, null, TrainingListener.NONE);
        String json = SyntheticTraining.json(dir, 4, 4, 1000, 1, LR, 2, 2).replace("\"lr_steps\": [4]",
                "\"lr_steps\": [2, 6]").replace("\"pretrain\": false,", "\"pretrain\": false, \"recompute_steps\": true,");
        TrainOptions recompute = SyntheticTraining.options(json);
        assertTrue(recompute.solver().recomputeSteps());
        TrainingRun.run(recompute, TrainingRun.Kind.DIC, stepwise, null, TrainingListener.NONE);
        Map<String, Tensor> a = StateDict.read(whole.resolve(Trainer.MODEL)).tensors();
        Map<String, Tensor> b = StateDict.read(stepwise.resolve(Trainer.MODEL)).tensors();
        List<Double> diffs = new ArrayList<>();
        for (String k : a.keySet()) {
            float[] x = a.get(k).values();
            float[] y = b.get(k).values();
            for (int i = 0; i < x.length; i++) {
                diffs.add((double) Math.abs(x[i] - y[i]));
            }
        }
        diffs.sort(null);
        double median = diffs.get(diffs.size() / 2);
        List<JsonNode> la = SyntheticTraining.lines(whole, Trainer.TRAIN_LINE);
        List<JsonNode> lb = SyntheticTraining.lines(stepwise, Trainer.TRAIN_LINE);
        double lossDiff = 0;
        for (int i = 0; i < 4; i++) {
            lossDiff = Math.max(lossDiff, Math.abs(la.get(i).get("loss_total").asDouble()
                    - lb.get(i).get("loss_total").asDouble()));
        }
        System.out.printf("recompute_steps: 4 iterations, max loss diff %.1e; weight diff median %.1e, max %.1e%n",
                lossDiff, median, diffs.get(diffs.size() - 1));
        assertTrue(lossDiff <= 1e-5, "max loss difference " + lossDiff);
        assertTrue(median <= 1e-7, "median weight difference " + median);
    }
}
