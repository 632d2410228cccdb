package io.dic4j.cli;

import io.dic4j.train.TrainingRun;
import picocli.CommandLine.Command;

/** {@code dic4j train}: trains DIC or DICGAN as the paper does. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        header = "Trains DIC or DICGAN from an option file.",
        description = {
            "Trains DIC as the paper does: each step's L1 loss plus 0.1 times the heatmap MSE, Adam, MultiStepLR,"
                    + " and the hourglass frozen until release_HG_grad_step. Every val_freq iterations the run is"
                    + " validated (PSNR and SSIM on Y, NME) and the best checkpoint kept. OUT holds"
                    + " train_log.jsonl, curves.png, the last and best checkpoints and model.safetensors; --resume"
                    + " continues a stopped run exactly.",
            "A DICGAN option file (mode sr_align_gan) fine-tunes a DIC model (generator_pretrained_path) with the"
                    + " LightCNN feature loss and a LightCNN discriminator trained alongside, with its own Adam."
        },
        footerHeading = Main.EXAMPLES_HEADING,
        footer = {
            "  dic4j train --config training/faces300w/train_dic.json -o out/run",
            "  dic4j train --config out/run/options.json -o out/run \\",
            "      --resume out/run/checkpoints/last.safetensors",
            "  nohup dic4j train --config train_DICGAN.json -o out/gan > gan.log 2>&1 &"
        })
final class TrainCommand extends TrainingCommand {

    @Override
    TrainingRun.Kind kind() {
        return TrainingRun.Kind.DIC;
    }
}
