package io.dic4j.cli;

import io.dic4j.train.TrainingRun;
import picocli.CommandLine.Command;

/** {@code dic4j train}: trains DIC or DICGAN as the paper does. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = {
            "Trains DIC from an option file: per-step L1 + 0.1 MSE heatmap loss, Adam, MultiStepLR, the hourglass",
            "frozen until release_HG_grad_step. Validation every val_freq (PSNR/SSIM on Y, NME), the best and last",
            "checkpoints, train_log.jsonl and curves.png in OUT. --resume continues a stopped run exactly.",
            "A DICGAN option file (mode sr_align_gan) fine-tunes a DIC model (generator_pretrained_path) with the",
            "LightCNN feature loss and a LightCNN discriminator trained alongside (its own Adam)."
        })
final class TrainCommand extends TrainingCommand {

    @Override
    TrainingRun.Kind kind() {
        return TrainingRun.Kind.DIC;
    }
}
