"""Writes the small seed files of the fuzz tests that no test resource is small enough to give.

Run from the repository root with numpy installed (no torch needed: the .pth files are written as torch.save
writes them, with stand-ins for torch's pickled classes):  python3 core/src/test/python/fuzz_seeds.py
"""
import collections
import io
import pickle
import struct
import sys
import types
import zipfile
from pathlib import Path

import numpy as np

RES = Path("core/src/test/resources/io/dic4j")

# stand-ins that pickle under torch's names, as torch.save's pickles name them
torch = types.ModuleType("torch")
utils = types.ModuleType("torch._utils")
sys.modules.update({"torch": torch, "torch._utils": utils})


class FloatStorage:
    pass


FloatStorage.__module__ = "torch"
torch.FloatStorage = FloatStorage


def _rebuild_tensor_v2(*args):
    raise NotImplementedError


_rebuild_tensor_v2.__module__ = "torch._utils"
utils._rebuild_tensor_v2 = _rebuild_tensor_v2


class Storage:
    def __init__(self, key, values):
        self.key, self.values = key, values


class Tensor:
    def __init__(self, storage, size, stride):
        self.storage, self.size, self.stride = storage, size, stride

    def __reduce__(self):
        return _rebuild_tensor_v2, (self.storage, 0, self.size, self.stride, False, collections.OrderedDict())


class TorchPickler(pickle.Pickler):
    def persistent_id(self, obj):
        if isinstance(obj, Storage):
            return "storage", FloatStorage, obj.key, "cpu", len(obj.values)
        return None


def state_dict():
    weight = Storage("0", [0.5, -1.0, 0.25, 2.0])
    bias = Storage("1", [0.125, -0.5])
    d = collections.OrderedDict()
    d["conv.weight"] = Tensor(weight, (2, 2), (2, 1))
    d["conv.bias"] = Tensor(bias, (2,), (1,))
    return d, [weight, bias]


def dumps(obj, protocol=2):
    out = io.BytesIO()
    TorchPickler(out, protocol=protocol).dump(obj)
    return out.getvalue()


def floats(values):
    return struct.pack("<%df" % len(values), *values)


def write(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    print(path, len(data), "bytes")


def zip_pth():
    d, storages = state_dict()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        z.writestr("tiny/data.pkl", dumps(d))
        for s in storages:
            z.writestr("tiny/data/" + s.key, floats(s.values))
        z.writestr("tiny/version", "3\n")
    return out.getvalue()


def legacy_pth():
    d, storages = state_dict()
    out = io.BytesIO()
    for header in (0x1950A86A20F9469CFC6C, 1001, {"protocol_version": 1001, "little_endian": True,
                                                   "type_sizes": {"short": 2, "int": 4, "long": 4}}):
        pickle.dump(header, out, protocol=2)
    out.write(dumps(d))
    pickle.dump([s.key for s in storages], out, protocol=2)
    for s in storages:
        out.write(struct.pack("<q", len(s.values)) + floats(s.values))
    return out.getvalue()


def safetensors():
    header = b'{"conv.bias":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},' \
             b'"conv.weight":{"dtype":"F32","shape":[2,2],"data_offsets":[8,24]}}'
    header += b" " * (-len(header) % 8)
    return struct.pack("<Q", len(header)) + header + floats([0.125, -0.5, 0.5, -1.0, 0.25, 2.0])


def npz():
    out = io.BytesIO()
    np.savez(out, **{"conv.weight": np.array([[0.5, -1.0], [0.25, 2.0]], np.float32),
                     "conv.bias": np.array([0.125, -0.5], np.float32)})
    return out.getvalue()


weights = RES / "weights" / "WeightsFuzzTestInputs"
write(weights / "pth" / "zip.pth", zip_pth())
write(weights / "pth" / "legacy.pth", legacy_pth())
write(weights / "safetensors" / "tiny.safetensors", safetensors())
write(weights / "npz" / "tiny.npz", npz())

# annotation files, as small as their formats allow
data = RES / "data" / "AnnotationReadersFuzzTestInputs"
points = [(30.0 + (i % 17) * 4.5, 40.0 + (i // 17) * 12.25) for i in range(68)]
pts = "version: 1\nn_points:  68\n{\n" + "".join("%.3f %.3f\n" % p for p in points) + "}\n"
write(data / "pts" / "face.pts", pts.encode())
write(data / "boxCsv" / "bboxes.csv", b"image,xmin,ymin,xmax,ymax\nface.png,20,30,110,120\n")
helen = "face\n" + "".join("%.2f , %.2f\n" % (30.0 + (i % 20) * 3.5, 40.0 + (i // 20) * 8.0) for i in range(194))
write(data / "helen" / "face.txt", helen.encode())
write(data / "celeba" / "list_landmarks_align_celeba.txt",
      b"2\nlefteye_x lefteye_y righteye_x righteye_y nose_x nose_y leftmouth_x leftmouth_y rightmouth_x rightmouth_y\n"
      b"000001.jpg 69 109 106 113 77 142 73 152 108 154\n000002.jpg 69 110 107 112 81 135 70 151 108 153\n")
write(data / "infoList" / "info_list_numpy_p4.pkl", Path("core/src/test/resources/reference/info_list_numpy_p4.pkl")
      .read_bytes())

options = RES / "util" / "OptionFilesFuzzTestInputs" / "options"
write(options / "train_dic.json", Path("training/faces300w/train_dic.json").read_bytes())
write(options / "dic_small_config.json", Path("core/src/test/resources/reference/dic_small_config.json").read_bytes())
write(options / "test_dic.json", b"""{"name": "CelebA", "mode": "sr_align", "scale": 8, "is_train": false, "rgb_range": 1,
 "datasets": {"test_CelebA": {"mode": "LRHR", "name": "CelebA", "dataroot_HR": "HR", "dataroot_LR": "LR",
   "data_type": "img", "LR_size": 16, "HR_size": 128}},
 "networks": {"which_model": "DIC", "num_features": 48, "in_channels": 3, "out_channels": 3, "num_steps": 4,
   "num_groups": 6, "detach_attention": false, "hg_num_feature": 256, "hg_num_keypoints": 68, "num_fusion_block": 7},
 "solver": {"pretrained_path": "best_ckp.pth"}, // the authors' comments and trailing commas are accepted
 "path": {"root": "../"},
}
""")
write(RES / "image" / "ImagesFuzzTestInputs" / "readRgb" / "astronaut_lr.png",
      Path("examples/astronaut_lr.png").read_bytes())


def bmp(width, height):
    rows = b""
    for y in range(height):
        row = b"".join(bytes(((x * 16) & 255, (y * 16) & 255, 128)) for x in range(width))
        rows += row + b"\0" * (-len(row) % 4)
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, len(rows), 2835, 2835, 0, 0)
    return b"BM" + struct.pack("<IHHI", 14 + len(info) + len(rows), 0, 0, 14 + len(info)) + info + rows


def tiff(width, height):
    pixels = bytes((x * 16 + y) & 255 for y in range(height) for x in range(width))  # 8-bit grey, uncompressed
    entries = [(256, 3, 1, width), (257, 3, 1, height), (258, 3, 1, 8), (259, 3, 1, 1), (262, 3, 1, 1),
               (273, 4, 1, 8), (277, 3, 1, 1), (278, 3, 1, height), (279, 4, 1, len(pixels))]
    ifd_at = 8 + len(pixels)
    ifd = struct.pack("<H", len(entries)) + b"".join(struct.pack("<HHII", *e) for e in entries) + b"\0\0\0\0"
    return b"II*\0" + struct.pack("<I", ifd_at) + pixels + ifd


images = RES / "image" / "ImagesFuzzTestInputs" / "readRgb"
write(images / "face.bmp", bmp(16, 16))
write(images / "face.tif", tiff(16, 16))
# the smallest GIF: one white pixel
write(images / "pixel.gif", b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00"
      b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")
