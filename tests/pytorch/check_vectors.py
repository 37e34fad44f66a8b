"""Asserts sigma / MultiMax against the float64 test vectors of MULTIMAX.md section 5 (autograd)."""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vit_multimax import multimax, sigma  # noqa: E402

X = [-2.0, -0.5, 0.0, 0.3, 1.0, 2.5]
RANGES = [-0.4, 0.8, -1.0, 1.5]
TS = [-0.6, -0.25, -0.1, 0.05]
SIGMA = [-3.06, -0.56, 0.0, 0.3, 0.95, 2.125]
Y = [0.003366781608828539, 0.04101579661656122, 0.07180522721435159,
     0.09692691838528861, 0.18566746959751798, 0.6012178065774519]
G = [0.3, -1.0, 0.5, 0.2, -0.4, 1.1]
DX = [-0.0018323328533248594, -0.10515497600211726, -0.007349612151099575,
      -0.038999014210015955, -0.13957851432681712, 0.254314164603647]
DR = [0.04004389361856893, 0.02827211226468261, 0.0002035925392583177, -0.029919313482781998]
DT = [-0.008200926314198869, 0.47140739205347604, -0.0010179626962915885, 0.29919313482781995]
CE_L = 1.6837980031496316
CE_DX = [0.006060206895891372, 0.06562527458649794, 0.07180522721435158,
         0.09692691838528861, -0.6107493978018614, 0.5110351355908341]
CE_DR = [-0.02662954693523385, -0.05327868095625751, -0.000673356321765708, -0.0601217806577452]
CE_DT = [0.009488430235781786, 0.8592037651011719, 0.0033667816088285398, 0.6012178065774519]


def t(v, grad=False):
    return torch.tensor(v, dtype=torch.float64, requires_grad=grad)


def close(name, got, want, tol=1e-12):
    got = got.detach()
    want = t(want) if not torch.is_tensor(want) else want
    err = (got - want).abs().max().item()
    assert err <= tol, "%s: max abs err %g\n got  %s\n want %s" % (name, err, got.tolist(), want.tolist())
    print("ok  %-22s max abs err %.3g" % (name, err))


def main():
    x, r, ts = t(X, True), t(RANGES, True), t(TS, True)
    close("sigma(x)", sigma(x, r, ts), SIGMA)
    y = multimax(x, r, ts)
    close("y", y, Y)
    (y * t(G)).sum().backward()
    close("dL/dx", x.grad, DX)
    close("dL/dranges", r.grad, DR)
    close("dL/dts", ts.grad, DT)

    x, r, ts = t(X, True), t(RANGES, True), t(TS, True)
    s = sigma(x, r, ts)
    loss = torch.nn.functional.cross_entropy(s.unsqueeze(0), torch.tensor([4]))
    close("CE loss", loss.reshape(1), [CE_L])
    loss.backward()
    close("CE dL/dx", x.grad, CE_DX)
    close("CE dL/dranges", r.grad, CE_DR)
    close("CE dL/dts", ts.grad, CE_DT)
    print("all MULTIMAX.md section 5 vectors match")


if __name__ == "__main__":
    main()
