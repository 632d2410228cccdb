package io.dic4j.cli;

import io.dic4j.train.TrainingRun;
import picocli.CommandLine.Command;

/** {@code dic4j train-landmarks}: pre-trains DIC's feedback hourglass alone on HR faces. */
@Command(
        name = "train-landmarks",
        mixinStandardHelpOptions = true,
        description = {
            "Pre-trains the feedback hourglass alone on HR faces with the heatmap loss (what the authors'",
            "FB_HG_68_*.pth is). Uses the same option file as train (its networks' hg_* keys and num_steps, the",
            "align loss). OUT/model.safetensors then serves as HG_pretrained_path, or labels faces with",
            "dic4j landmarks."
        })
final class TrainLandmarksCommand extends TrainingCommand {

    @Override
    TrainingRun.Kind kind() {
        return TrainingRun.Kind.LANDMARKS;
    }
}
