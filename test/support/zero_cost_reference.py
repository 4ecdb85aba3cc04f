# PyTorch reference of NASLib's zero-cost measures (naslib/predictors/utils/
# pruners/measures/*.py), re-expressed for a network given as JSON: the same
# weights and batch as the tfjs model under test. Prints the measures as JSON.
import json, sys, types
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

spec = json.load(sys.stdin)
torch.manual_seed(0)


class ToChannelsLast(nn.Module):
    # tfjs flattens NHWC; permuting first keeps the Dense kernel's row order.
    def forward(self, x):
        return x.permute(0, 2, 3, 1).reshape(x.shape[0], -1)


def build():
    mods = []
    for l in spec["layers"]:
        if l["type"] == "dense":
            w = torch.tensor(l["kernel"], dtype=torch.float32)
            m = nn.Linear(w.shape[0], w.shape[1])
            m.weight.data = w.t().contiguous()
            m.bias.data = torch.tensor(l["bias"], dtype=torch.float32)
            mods.append(m)
        elif l["type"] == "conv":
            k = torch.tensor(l["kernel"], dtype=torch.float32)  # kh, kw, cin, cout
            m = nn.Conv2d(k.shape[2], k.shape[3], (k.shape[0], k.shape[1]))
            m.weight.data = k.permute(3, 2, 0, 1).contiguous()
            m.bias.data = torch.tensor(l["bias"], dtype=torch.float32)
            mods.append(m)
        elif l["type"] == "flatten":
            mods.append(ToChannelsLast())
        if l.get("activation") == "relu":
            mods.append(nn.ReLU())
    return nn.Sequential(*mods)


x = torch.tensor(spec["x"], dtype=torch.float32)
if x.dim() == 4:
    x = x.permute(0, 3, 1, 2).contiguous()  # NHWC -> NCHW
y = torch.tensor(spec["y"], dtype=torch.long)
weighted = lambda net: [m for m in net.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
out = {}

net = build()
net.zero_grad()
F.cross_entropy(net(x), y).backward()
out["grad_norm"] = float(sum(m.weight.grad.norm() for m in weighted(net)))
out["snip"] = float(sum((m.weight * m.weight.grad).abs().sum() for m in weighted(net)))

net = build().double()
with torch.no_grad():
    for p in net.state_dict().values():
        p.abs_()
net.zero_grad()
torch.sum(net(torch.ones([1] + list(x.shape[1:])).double())).backward()
out["synflow"] = float(sum((m.weight * m.weight.grad).abs().sum() for m in weighted(net)))

# fisher: the pre-activation output of every conv / linear through a hooked identity.
net = build()
net.train()
for layer in weighted(net):
    layer.fisher = None
    layer.dummy = nn.Identity()
    def fwd(self, inp):
        z = F.linear(inp, self.weight, self.bias) if isinstance(self, nn.Linear) else \
            F.conv2d(inp, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups)
        self.act = self.dummy(z)
        return self.act
    layer.forward = types.MethodType(fwd, layer)
    def hook_factory(layer):
        def hook(module, grad_input, grad_output):
            act, grad = layer.act.detach(), grad_output[0].detach()
            g = torch.sum(act * grad, list(range(2, act.dim()))) if act.dim() > 2 else act * grad
            d = g.pow(2).mean(0).mul(0.5)
            layer.fisher = d if layer.fisher is None else layer.fisher + d
        return hook
    layer.dummy.register_backward_hook(hook_factory(layer))
net.zero_grad()
F.cross_entropy(net(x), y).backward()
out["fisher"] = float(sum(l.fisher.abs().sum() for l in weighted(net)))

net = build()
xj = x.clone().requires_grad_(True)
o = net(xj)
o.backward(torch.ones_like(o))
jac = xj.grad.detach().reshape(x.shape[0], -1).numpy()
v, _ = np.linalg.eig(np.corrcoef(jac))
out["jacov"] = float(np.real(-np.sum(np.log(v + 1e-5) + 1.0 / (v + 1e-5))))

net = build()
K = np.zeros((x.shape[0], x.shape[0]))
def count(module, inp, o):
    global K
    c = (inp[0].view(inp[0].size(0), -1) > 0).float()
    K = K + (c @ c.t()).numpy() + ((1.0 - c) @ (1.0 - c.t())).numpy()
for m in net.modules():
    if isinstance(m, nn.ReLU):
        m.register_forward_hook(count)
net(x.clone())
out["naswot"] = float(np.linalg.slogdet(K)[1])

net = build()
out["params"] = sum(p.numel() for p in net.parameters()) / 1e6
flops = [0]
def conv_flops(m, i, o):
    positions = o.shape[2] * o.shape[3]
    flops[0] += m.kernel_size[0] * m.kernel_size[1] * m.in_channels * m.out_channels * positions
    flops[0] += m.out_channels * positions
def linear_flops(m, i, o):
    flops[0] += i[0].shape[-1] * o.shape[-1]
def relu_flops(m, i, o):
    flops[0] += i[0][0].numel()
for m in net.modules():
    if isinstance(m, nn.Conv2d): m.register_forward_hook(conv_flops)
    if isinstance(m, nn.Linear): m.register_forward_hook(linear_flops)
    if isinstance(m, nn.ReLU): m.register_forward_hook(relu_flops)
net(x[:1])
out["flops"] = flops[0] / 1e6
print(json.dumps(out))
