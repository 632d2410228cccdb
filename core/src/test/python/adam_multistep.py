"""Writes src/test/resources/reference/adam_multistep.npz: torch.optim.Adam with MultiStepLR, stepped the way the
reference trainer steps them (scheduler.step(step) after each iteration), on two parameters of which the second
has no gradient for the first FROZEN iterations (requires_grad False, as the reference freezes its hourglass).

Run with Debian's PyTorch 1.13.1:  /usr/bin/python3 src/test/python/adam_multistep.py
"""
import numpy as np
import torch

STEPS, FROZEN = 6, 2
MILESTONES, GAMMA, LR = [2, 4], 0.5, 1e-2
OUT = "src/test/resources/reference/adam_multistep.npz"


def run(weight_decay):
    torch.manual_seed(0)
    a = torch.randn(3, 4, requires_grad=True)
    b = torch.randn(5, requires_grad=True)
    start = {"a": a.detach().clone().numpy(), "b": b.detach().clone().numpy()}
    opt = torch.optim.Adam([a, b], lr=LR, betas=(0.9, 0.999), eps=1e-8, weight_decay=weight_decay)
    sched = torch.optim.lr_scheduler.MultiStepLR(opt, MILESTONES, GAMMA)
    out, step = {}, 0
    b.requires_grad_(False)
    for step in range(1, STEPS + 1):
        if step - 1 >= FROZEN:
            b.requires_grad_(True)
        ga = torch.randn(3, 4)
        gb = torch.randn(5) * 1e-3  # small gradients: eps matters
        opt.zero_grad()
        a.grad = ga.clone()
        if b.requires_grad:
            b.grad = gb.clone()
        out[f"lr_{step}"] = np.array(opt.param_groups[0]["lr"], dtype=np.float64)
        opt.step()
        sched.step(step)
        out[f"grad_a_{step}"] = ga.numpy()
        out[f"grad_b_{step}"] = gb.numpy()
        out[f"a_{step}"] = a.detach().clone().numpy()
        out[f"b_{step}"] = b.detach().clone().numpy()
    out["a_0"], out["b_0"] = start["a"], start["b"]
    return out


if __name__ == "__main__":
    arrays = {}
    for wd in (0.0, 0.1):
        for k, v in run(wd).items():
            arrays[f"wd{wd}/{k}"] = v
    np.savez(OUT, **arrays)
    print("wrote", OUT, len(arrays), "arrays; torch", torch.__version__)
