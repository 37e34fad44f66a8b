"""Minimal safetensors reader/writer (numpy + struct + json only).

Layout: 8-byte little-endian u64 header length, UTF-8 JSON header
{name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {str: str}},
then the raw little-endian data section (offsets are relative to its start).
"""
import json
import struct

import numpy as np

_DTYPES = {
    "F64": np.dtype("<f8"), "F32": np.dtype("<f4"), "F16": np.dtype("<f2"),
    "I64": np.dtype("<i8"), "I32": np.dtype("<i4"), "I16": np.dtype("<i2"), "I8": np.dtype("i1"),
    "U8": np.dtype("u1"), "BOOL": np.dtype("?"),
}
_NAMES = {v: k for k, v in _DTYPES.items()}


def _dtype_name(arr):
    dt = arr.dtype.newbyteorder("<") if arr.dtype.byteorder == ">" else arr.dtype
    for k, v in _DTYPES.items():
        if v == dt:
            return k, v
    raise ValueError("unsupported dtype %s" % arr.dtype)


def save(path, tensors, metadata=None):
    """tensors: dict name -> numpy array (order kept); metadata: dict str -> str."""
    header = {}
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    chunks, offset = [], 0
    for name, arr in tensors.items():
        arr = np.asarray(arr)
        dname, dt = _dtype_name(arr)
        raw = np.ascontiguousarray(arr, dtype=dt).tobytes()
        header[name] = {"dtype": dname, "shape": list(arr.shape),
                        "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    hbytes = json.dumps(header, separators=(",", ":")).encode("utf-8")
    hbytes += b" " * ((-len(hbytes)) % 8)  # pad with spaces to 8-byte alignment (allowed by the format)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hbytes)))
        f.write(hbytes)
        for c in chunks:
            f.write(c)


def load(path):
    """Returns (dict name -> numpy array in file order, metadata dict or {})."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise ValueError("%s: too short for a safetensors file" % path)
    (hlen,) = struct.unpack("<Q", data[:8])
    if 8 + hlen > len(data):
        raise ValueError("%s: header length %d exceeds file size" % (path, hlen))
    header = json.loads(data[8:8 + hlen].decode("utf-8"))
    base = 8 + hlen
    meta = header.pop("__metadata__", None) or {}
    out = {}
    for name, info in header.items():
        dt = _DTYPES.get(info["dtype"])
        if dt is None:
            raise ValueError("%s: unsupported dtype %s" % (name, info["dtype"]))
        b, e = info["data_offsets"]
        shape = tuple(info["shape"])
        count = int(np.prod(shape, dtype=np.int64)) if shape else 1
        if e - b != count * dt.itemsize or base + e > len(data):
            raise ValueError("%s: bad data_offsets %s for shape %s %s" % (name, [b, e], shape, info["dtype"]))
        out[name] = np.frombuffer(data, dtype=dt, count=count, offset=base + b).reshape(shape).copy()
    return out, meta
