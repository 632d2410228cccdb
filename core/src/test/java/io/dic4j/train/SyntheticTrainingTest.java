package io.dic4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import io.dic4j.data.FaceDataset;
import io.dic4j.data.FaceLoader;
import io.dic4j.data.SampleMaker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DIC learns: a short CPU run on synthetic faces beats bicubic on held-out faces and finds their landmarks. */
class SyntheticTrainingTest {

    static final int ITERATIONS = 300;

    @TempDir
    Path dir;

    @Test
    void aShortRunBeatsBicubicAndLowersNme() throws Exception {
        SyntheticTraining.writeFaces(dir, 64, 16);
        Path out = dir.resolve("run");
        TrainOptions o = SyntheticTraining.options(SyntheticTraining.json(dir, ITERATIONS, ITERATIONS / 3, ITERATIONS,
                25, 1e-3, 0, 4));
        double nmeBefore;
        try (NDManager m = NDManager.newBaseManager();
                FaceLoader val = new FaceLoader(FaceDataset.open(o.val().annotations(), o.val().images()),
                        new SampleMaker(o.val().sampling()), FaceLoader.Options.inOrder(8, 2))) {
            // the same options and seed give the run's initial weights
            nmeBefore = DicTask.create(o, m).validate(val.epoch(), 0, dir.resolve("before")).get("nme");
        }
        long t0 = System.nanoTime();
        List<String> heard = new ArrayList<>();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void started(long step, long iterations) {
                heard.add("started " + step + "/" + iterations);
            }

            @Override
            public void validated(long step, Map<String, Double> scores, Path log) {
                heard.add("validated " + step + " " + scores.containsKey("psnr") + " " + Files.isRegularFile(log));
            }

            @Override
            public void finished() {
                heard.add("finished");
            }
        };
        Trainer.Summary s = TrainingRun.run(o, TrainingRun.Kind.DIC, out, null, listener);
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<JsonNode> vals = SyntheticTraining.lines(out, Trainer.VAL_LINE);
        JsonNode val = vals.get(vals.size() - 1);
        double psnr = val.get("psnr").asDouble();
        double bicubic = val.get("bicubic_psnr").asDouble();
        double nme = val.get("nme").asDouble();
        System.out.printf("synthetic training: %d iterations in %.0f s; held-out PSNR %.2f dB vs bicubic %.2f dB;"
                + " NME %.4f (before training %.4f)%n", s.steps(), seconds, psnr, bicubic, nme, nmeBefore);
        assertTrue(psnr >= bicubic + 1.0, "PSNR " + psnr + " vs bicubic " + bicubic);
        assertTrue(nme < 0.8 * nmeBefore, "NME " + nme + " vs " + nmeBefore + " before training");
        assertEquals(List.of("started 0/" + ITERATIONS, "validated " + ITERATIONS / 3 + " true true",
                "validated " + 2 * ITERATIONS / 3 + " true true", "validated " + ITERATIONS + " true true", "finished"),
                heard);
        for (String f : List.of(Trainer.MODEL, TrainingRun.OPTIONS, "checkpoints/" + Trainer.LAST,
                "checkpoints/" + Trainer.BEST, "val/step_" + String.format("%07d", ITERATIONS) + "/comparison.png")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f + " is written");
        }
    }
}
