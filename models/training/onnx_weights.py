"""Weight compression shared by the recipes: fp16 or int8 initializers decoded in-graph
(Cast / DequantizeLinear) so compute stays fp32 and onnxruntime folds them at load."""
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def _big_float_inits(m, min_size=64):
    return [t for t in m.graph.initializer if t.data_type == TensorProto.FLOAT and np.prod(t.dims) >= min_size]


def to_fp16_weights(m, only=None):
    """fp16 initializers + Cast (all big float tensors, or only the names in `only`)."""
    m = onnx.ModelProto.FromString(m.SerializeToString())
    g = m.graph
    new_inits, nodes = [], []
    for t in _big_float_inits(m):
        if only is not None and t.name not in only:
            continue
        arr = numpy_helper.to_array(t)
        name = t.name
        h = numpy_helper.from_array(arr.astype(np.float16), name + "_fp16")
        new_inits.append((t, h))
        nodes.append(helper.make_node("Cast", [name + "_fp16"], [name], to=TensorProto.FLOAT, name="cast_" + name))
    return _replace_initializers(m, [(t, [h]) for t, h in new_inits], nodes)


def to_fp32_weights(m):
    """Undo the compression: fp16 (Cast) and int8 (DequantizeLinear) initializers back to fp32 ones."""
    m = onnx.ModelProto.FromString(m.SerializeToString())
    inits = {t.name: t for t in m.graph.initializer}
    keep = []
    for n in m.graph.node:
        src = inits.get(n.input[0]) if n.input else None
        if n.op_type == "Cast" and src is not None and src.data_type == TensorProto.FLOAT16:
            arr = numpy_helper.to_array(inits.pop(n.input[0])).astype(np.float32)
        elif n.op_type == "DequantizeLinear" and src is not None and src.data_type == TensorProto.INT8:
            q = numpy_helper.to_array(inits.pop(n.input[0])).astype(np.float32)
            scale = numpy_helper.to_array(inits.pop(n.input[1]))
            inits.pop(n.input[2], None)
            axis = next((a.i for a in n.attribute if a.name == "axis"), 1)
            shp = [1] * q.ndim
            shp[axis] = -1
            arr = q * scale.reshape(shp)
        else:
            keep.append(n)
            continue
        inits[n.output[0]] = numpy_helper.from_array(arr.astype(np.float32), n.output[0])
    del m.graph.node[:]
    m.graph.node.extend(keep)
    del m.graph.initializer[:]
    m.graph.initializer.extend(inits.values())
    return m


def _replace_initializers(m, repl, nodes):
    """Swap each float initializer for its compressed form(s); prepend the decoding nodes."""
    g = m.graph
    for t, news in repl:
        g.initializer.remove(t)
        g.initializer.extend(news)
    for n in reversed(nodes):
        g.node.insert(0, n)
    onnx.checker.check_model(m)
    return m


def int8_candidates(m):
    """The tensors to_int8_weights compresses: float initializers of >= 256 values and >= 2 dims."""
    return [t.name for t in _big_float_inits(m, min_size=256) if len(t.dims) >= 2]


def to_mixed_weights(m, fp16_names):
    """int8 weights except `fp16_names` (the layers whose rounding costs accuracy), which get fp16."""
    keep = set(fp16_names)
    return to_fp16_weights(to_int8_weights(m, skip=keep), only=keep)


def to_int8_weights(m, skip=()):
    """Symmetric int8 per-channel (axis 0, or axis 1 for LSTM W/R [dirs,4h,in]) weights + DequantizeLinear.
    Biases and small tensors stay fp32 (fp16 for biases would also do); names in `skip` stay as they are."""
    m = onnx.ModelProto.FromString(m.SerializeToString())
    g = m.graph
    lstm_inputs = set()
    for n in g.node:
        if n.op_type == "LSTM":
            lstm_inputs.update(n.input[1:3])  # W, R
    repl, nodes = [], []
    for t in _big_float_inits(m, min_size=256):
        arr = numpy_helper.to_array(t)
        if arr.ndim < 2 or t.name in skip:
            continue
        axis = 1 if t.name in lstm_inputs else 0
        if t.name in lstm_inputs:
            # per (direction, row): flatten dirs*4h into channels by quantizing each direction separately
            # DequantizeLinear supports one axis only -> use axis=1 and share scale across the 2 directions
            red = tuple(i for i in range(arr.ndim) if i != 1)
        else:
            red = tuple(i for i in range(arr.ndim) if i != 0)
        scale = np.abs(arr).max(axis=red) / 127.0
        scale = np.where(scale == 0, 1e-8, scale).astype(np.float32)
        shp = [1] * arr.ndim
        shp[axis] = -1
        q = np.clip(np.round(arr / scale.reshape(shp)), -127, 127).astype(np.int8)
        qi = numpy_helper.from_array(q, t.name + "_q")
        si = numpy_helper.from_array(scale, t.name + "_scale")
        zi = numpy_helper.from_array(np.zeros_like(scale, dtype=np.int8), t.name + "_zp")
        repl.append((t, [qi, si, zi]))
        nodes.append(helper.make_node("DequantizeLinear", [qi.name, si.name, zi.name], [t.name], axis=axis,
                                      name="dq_" + t.name))
    return _replace_initializers(m, repl, nodes)
