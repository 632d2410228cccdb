package io.dic4j.cli;

import io.dic4j.train.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dic4j train-landmarks}: trains a landmark model alone on HR faces. */
@Command(
        name = "train-landmarks",
        mixinStandardHelpOptions = true,
        header = "Trains a landmark model alone on HR faces.",
        description = {
            "Trains a landmark model on HR faces with the heatmap loss, from the option file of train (its"
                    + " networks' hg_num_feature, hg_num_keypoints and num_steps, the align loss, the datasets).",
            "--arch feedback (the default) trains DIC's feedback hourglass, what the authors' FB_HG_68_*.pth is;"
                    + " OUT/model.safetensors then serves as HG_pretrained_path and as the model of dic4j"
                    + " landmarks. --arch stacked trains the 4-stack hourglass with batch-norm of the paper's"
                    + " landmark evaluation, what HG_68_CelebA.pth is, for dic4j eval-landmarks."
        },
        footerHeading = Main.EXAMPLES_HEADING,
        footer = {
            "  dic4j train-landmarks --config training/faces300w/train_hourglass.json \\",
            "      -o out/hg",
            "  dic4j train-landmarks --arch stacked --config train_DIC_CelebA.json \\",
            "      -o out/stacked"
        })
final class TrainLandmarksCommand extends TrainingCommand {

    /** The landmark models train-landmarks trains. */
    enum Arch {
        feedback,
        stacked
    }

    @Option(names = "--arch", paramLabel = "ARCH", defaultValue = "feedback",
            description = "feedback (DIC's hourglass) or stacked (the evaluation's). Default: ${DEFAULT-VALUE}.")
    Arch arch;

    @Override
    TrainingRun.Kind kind() {
        return arch == Arch.stacked ? TrainingRun.Kind.STACKED_LANDMARKS : TrainingRun.Kind.LANDMARKS;
    }
}
