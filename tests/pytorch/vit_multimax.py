"""Independent PyTorch oracle for the multimax-vit Java project.

The model follows /work/shared/docs/MULTIMAX.md and ARCHITECTURE.md:
patch-embedding conv, pos_embed without CLS token, pre-norm blocks whose
attention probabilities are MultiMax(S) = softmax(sigma(S)) (or softmax),
final LayerNorm, global average pooling over tokens, head, and the output
modulation sigma_out (model returns sigma_out(z) when head_act == "multimax").
Parameter names equal timm's.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def sigma(x, ranges, ts):
    """Piece-wise quadratic modulator; every term uses the original x."""
    r0, r1, r2, r3 = ranges[0], ranges[1], ranges[2], ranges[3]
    t0, t1, t2, t3 = ts[0], ts[1], ts[2], ts[3]
    return (x
            + t0 * F.relu(r0 - x)
            + t1 * F.relu(x - r1)
            + t2 * F.relu(r2 - x) ** 2
            + t3 * F.relu(x - r3) ** 2)


def multimax(x, ranges, ts, dim=-1):
    return torch.softmax(sigma(x, ranges, ts), dim=dim)


class PatchEmbed(nn.Module):
    def __init__(self, in_chans, embed_dim, patch_size):
        super().__init__()
        self.proj = nn.Conv2d(in_chans, embed_dim, kernel_size=patch_size, stride=patch_size)

    def forward(self, x):
        x = self.proj(x)                      # [B, D, h, w]
        return x.flatten(2).transpose(1, 2)   # [B, N, D], row-major patch order


class Attention(nn.Module):
    def __init__(self, dim, num_heads, qkv_bias, attn_act):
        super().__init__()
        assert dim % num_heads == 0
        self.num_heads = num_heads
        self.head_dim = dim // num_heads
        self.scale = self.head_dim ** -0.5
        self.attn_act = attn_act
        self.qkv = nn.Linear(dim, 3 * dim, bias=qkv_bias)
        if attn_act == "multimax":
            self.ranges = nn.Parameter(torch.zeros(4))
            self.ts = nn.Parameter(torch.zeros(4))
        elif attn_act != "softmax":
            raise ValueError("unsupported attn_act: %r" % attn_act)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        B, N, C = x.shape
        qkv = self.qkv(x).reshape(B, N, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]                  # [B, H, N, Dh]
        s = (q @ k.transpose(-2, -1)) * self.scale       # scale first, then sigma
        if self.attn_act == "multimax":
            p = multimax(s, self.ranges, self.ts, dim=-1)
        else:
            p = torch.softmax(s, dim=-1)
        x = (p @ v).transpose(1, 2).reshape(B, N, C)
        return self.proj(x)


class Mlp(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x)))  # exact erf GELU (torch default)


class Block(nn.Module):
    def __init__(self, dim, num_heads, mlp_hidden, qkv_bias, attn_act, eps):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=eps)
        self.attn = Attention(dim, num_heads, qkv_bias, attn_act)
        self.norm2 = nn.LayerNorm(dim, eps=eps)
        self.mlp = Mlp(dim, mlp_hidden)

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        x = x + self.mlp(self.norm2(x))
        return x


CONFIG_KEYS = ("img_size", "patch_size", "in_chans", "num_classes", "embed_dim", "depth",
               "num_heads", "mlp_ratio", "qkv_bias", "attn_act", "head_act", "layer_norm_eps")


class VitMultiMax(nn.Module):
    def __init__(self, config):
        super().__init__()
        c = dict(config)
        self.config = c
        img, p = int(c["img_size"]), int(c["patch_size"])
        assert img % p == 0, "img_size must be a multiple of patch_size"
        d = int(c["embed_dim"])
        n = (img // p) ** 2
        eps = float(c.get("layer_norm_eps", 1e-6))
        hidden = int(d * float(c["mlp_ratio"]))
        self.head_act = c.get("head_act", "multimax")
        if self.head_act not in ("multimax", "softmax"):
            raise ValueError("unsupported head_act: %r" % self.head_act)
        self.patch_embed = PatchEmbed(int(c["in_chans"]), d, p)
        self.pos_embed = nn.Parameter(torch.zeros(1, n, d))
        self.blocks = nn.ModuleList([
            Block(d, int(c["num_heads"]), hidden, bool(c.get("qkv_bias", False)),
                  c.get("attn_act", "multimax"), eps)
            for _ in range(int(c["depth"]))])
        self.norm = nn.LayerNorm(d, eps=eps)
        self.head = nn.Linear(d, int(c["num_classes"]))
        if self.head_act == "multimax":
            self.ranges = nn.Parameter(torch.zeros(4))
            self.ts = nn.Parameter(torch.zeros(4))

    def forward(self, images):
        x = self.patch_embed(images) + self.pos_embed
        for blk in self.blocks:
            x = blk(x)
        x = self.norm(x).mean(dim=1)
        z = self.head(x)
        if self.head_act == "multimax":
            z = sigma(z, self.ranges, self.ts)
        return z


def loss_fn(outputs, labels):
    """Mean cross-entropy of softmax(outputs) against integer labels."""
    return F.cross_entropy(outputs, labels, reduction="mean")


def expected_param_names(config):
    names = ["patch_embed.proj.weight", "patch_embed.proj.bias", "pos_embed"]
    for i in range(int(config["depth"])):
        b = "blocks.%d." % i
        names += [b + "norm1.weight", b + "norm1.bias", b + "attn.qkv.weight"]
        if config.get("qkv_bias", False):
            names.append(b + "attn.qkv.bias")
        if config.get("attn_act", "multimax") == "multimax":
            names += [b + "attn.ranges", b + "attn.ts"]
        names += [b + "attn.proj.weight", b + "attn.proj.bias", b + "norm2.weight", b + "norm2.bias",
                  b + "mlp.fc1.weight", b + "mlp.fc1.bias", b + "mlp.fc2.weight", b + "mlp.fc2.bias"]
    names += ["norm.weight", "norm.bias", "head.weight", "head.bias"]
    if config.get("head_act", "multimax") == "multimax":
        names += ["ranges", "ts"]
    return names
