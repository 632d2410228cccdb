"""Writes core/src/main/resources/io/dic4j/model/ops/bfloat16.pt, the TorchScript module that io.dic4j.model.ops.BFloat16
loads: DJL 0.36's PyTorch engine has no bfloat16 data type, so it cannot cast to it, while TorchScript can, and libtorch
then runs any op on the bfloat16 tensors it returns.

Run with Debian's python3-torch (1.13; libtorch 2.7.1 loads its archives):
    apt install python3-torch && python3 tools/make-bfloat16-module.py
"""
import pathlib

import torch


class BFloat16(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.to(torch.bfloat16)

    @torch.jit.export
    def to_float32(self, x: torch.Tensor) -> torch.Tensor:
        return x.to(torch.float32)


out = pathlib.Path(__file__).resolve().parent.parent / "core/src/main/resources/io/dic4j/model/ops/bfloat16.pt"
torch.jit.script(BFloat16()).save(str(out))
print("wrote", out, out.stat().st_size, "bytes")
