"""Exports the authors' DIC (paper config) to ONNX, for the side-by-side timing with ONNX Runtime in
docs/performance.md (tools/OnnxRuntimeBench.java). dic4j itself does not use ONNX.

    python3 tools/export-reference-onnx.py AUTHORS_CODE_DIR OUT_DIR [--seed 0]

AUTHORS_CODE_DIR is the code/ folder of a checkout of github.com/Maclory/Deep-Iterative-Collaboration. Needs Debian's
python3-torch and python3-torchvision (the authors' modules import it). Writes to OUT_DIR:
  dic_paper.pth   the network's random weights (PyTorch's default init, seeded), which dic4j loads as the authors' .pth
  dic_paper.onnx  the network, batch size dynamic, its outputs the four steps' SR images then their heatmaps
  reference.npz   an input batch of 8 ("lr") and the network's outputs in PyTorch ("sr_1".."sr_4", "heatmap_1".."4")
"""
import argparse
import pathlib
import sys

import numpy as np
import torch

PAPER = {"in_channels": 3, "out_channels": 3, "num_features": 48, "num_steps": 4, "num_groups": 6,
         "hg_num_feature": 256, "hg_num_keypoints": 68, "num_fusion_block": 7, "detach_attention": False, "scale": 8}

parser = argparse.ArgumentParser()
parser.add_argument("code")
parser.add_argument("out")
parser.add_argument("--seed", type=int, default=0)
args = parser.parse_args()
sys.path.insert(0, args.code)
from networks.dic_arch import DIC  # noqa: E402  (the authors' module, from the checkout)

out = pathlib.Path(args.out)
out.mkdir(parents=True, exist_ok=True)
torch.manual_seed(args.seed)
net = DIC(PAPER, torch.device("cpu")).eval()
torch.save(net.state_dict(), out / "dic_paper.pth")
steps = PAPER["num_steps"]
names = [f"sr_{i + 1}" for i in range(steps)] + [f"heatmap_{i + 1}" for i in range(steps)]


class Flat(torch.nn.Module):
    """The network with its two lists of outputs as one tuple, as ONNX takes them."""

    def __init__(self, dic):
        super().__init__()
        self.dic = dic

    def forward(self, lr):
        sr, heatmaps = self.dic(lr)
        return tuple(sr) + tuple(heatmaps)


flat = Flat(net).eval()
lr = torch.rand(8, 3, 16, 16, generator=torch.Generator().manual_seed(args.seed + 1))
with torch.no_grad():
    outputs = flat(lr)
    np.savez(out / "reference.npz", lr=lr.numpy(), **{n: o.numpy() for n, o in zip(names, outputs)})
    torch.onnx.export(flat, lr[:1], str(out / "dic_paper.onnx"), input_names=["lr"], output_names=names,
                      dynamic_axes={n: {0: "batch"} for n in ["lr"] + names}, opset_version=13)
print("wrote", *sorted(p.name for p in out.iterdir()))
