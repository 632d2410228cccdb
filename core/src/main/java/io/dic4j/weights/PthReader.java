package io.dic4j.weights;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import io.dic4j.util.BoundedUnpickler;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;

/**
 * Reads tensors from files written by {@code torch.save}: the zip format (PyTorch ≥ 1.6) and the legacy
 * format (one pickle stream followed by raw storages, as PyTorch 1.1-era checkpoints such as the authors' are).
 * The pickle is read with Pyrolite; tensors are rebuilt from their storages here, converted to float32.
 */
final class PthReader {

    /** Legacy files start with a pickled magic number, then a protocol version. */
    private static final BigInteger LEGACY_MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);

    static {
        for (StorageType t : StorageType.values()) {
            Unpickler.registerConstructor("torch", t.pythonName, t);
        }
        Unpickler.registerConstructor("torch._utils", "_rebuild_tensor_v2", TensorRef::fromArgs);
        Unpickler.registerConstructor("torch._utils", "_rebuild_tensor", TensorRef::fromArgs);
        Unpickler.registerConstructor("torch._utils", "_rebuild_parameter", args -> args[0]);
        Unpickler.registerConstructor("collections", "OrderedDict", args -> new PyOrderedDict());
    }

    private PthReader() {}

    /**
     * The part of the unpickled object that {@code select} picks (e.g. a checkpoint's weights, not its optimizer
     * state), with every tensor in it replaced by a {@link Tensor}; tensors outside it are never converted.
     */
    static Object read(Path file, UnaryOperator<Object> select) throws IOException {
        if (StateDict.isZip(file)) {
            try (ZipFile zip = new ZipFile(file.toFile())) {
                ZipEntry pkl = zip.stream().filter(e -> e.getName().endsWith("data.pkl")).findFirst()
                        .orElseThrow(() -> new IOException("not a PyTorch file: no data.pkl in the zip"));
                String root = pkl.getName().substring(0, pkl.getName().length() - "data.pkl".length());
                Object obj = new TorchUnpickler().load(new ByteArrayInputStream(readChecked(zip, pkl)));
                try {
                    return materialise(select.apply(obj), key -> {
                        ZipEntry e = zip.getEntry(root + "data/" + key);
                        if (e == null) {
                            throw new UncheckedIOException(new IOException("storage " + key + " missing from the"
                                    + " zip"));
                        }
                        try {
                            return readChecked(zip, e);
                        } catch (IOException ex) {
                            throw new UncheckedIOException(ex);
                        }
                    });
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
            }
        }
        return readLegacy(file, select);
    }

    /**
     * An entry's bytes, checked against the CRC-32 that {@code torch.save} stores for each: the zip's own reader
     * does not check stored (uncompressed) entries, so a flipped byte would load as a wrong weight.
     */
    private static byte[] readChecked(ZipFile zip, ZipEntry e) throws IOException {
        byte[] bytes;
        try (InputStream in = zip.getInputStream(e)) {
            bytes = in.readAllBytes();
        }
        CRC32 crc = new CRC32();
        crc.update(bytes);
        if (e.getCrc() != -1 && crc.getValue() != e.getCrc()) {
            throw new IOException(String.format("zip entry %s fails its CRC-32 check (stored %08x, content %08x):"
                    + " the file is corrupt", e.getName(), e.getCrc(), crc.getValue()));
        }
        return bytes;
    }

    private static Object readLegacy(Path file, UnaryOperator<Object> select) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            Object magic;
            try {
                magic = new BoundedUnpickler().load(in);
            } catch (IOException | RuntimeException e) {
                throw new IOException("not a PyTorch file (neither zip nor legacy pickle format)", e);
            }
            if (!LEGACY_MAGIC.equals(toBigInteger(magic))) {
                throw new IOException("not a PyTorch file: a pickle, but not torch.save's legacy format");
            }
            new BoundedUnpickler().load(in); // protocol version
            new BoundedUnpickler().load(in); // sys info (byte order, type sizes)
            TorchUnpickler unpickler = new TorchUnpickler();
            Object obj = unpickler.load(in);
            Object keys = new BoundedUnpickler().load(in);
            Map<String, byte[]> storages = new HashMap<>();
            for (Object key : (List<?>) keys) {
                byte[] count = new byte[8];
                in.readFully(count);
                long n = ByteBuffer.wrap(count).order(ByteOrder.LITTLE_ENDIAN).getLong();
                StorageRef ref = unpickler.storages.get(key.toString());
                if (ref == null) {
                    throw new IOException("storage " + key + " is listed but no tensor uses it");
                }
                int size = ref.type.bytes;
                if (n < 0 || n > Files.size(file) / size) {
                    throw new IOException("storage " + key + " claims " + n + " elements, more than the file holds");
                }
                byte[] data = new byte[Math.toIntExact(n * size)];
                in.readFully(data);
                storages.put(key.toString(), data);
            }
            return materialise(select.apply(obj), storages::get);
        }
    }

    private static BigInteger toBigInteger(Object o) {
        if (o instanceof BigInteger b) {
            return b;
        }
        return o instanceof Number n ? BigInteger.valueOf(n.longValue()) : null;
    }

    /** Replaces every {@link TensorRef} inside maps and lists by a {@link Tensor}. */
    private static Object materialise(Object obj, Function<String, byte[]> storage) {
        Map<String, byte[]> cache = new HashMap<>();
        return walk(obj, ref -> ref.toTensor(cache.computeIfAbsent(ref.storage.key, storage)));
    }

    private static Object walk(Object obj, Function<TensorRef, Tensor> f) {
        if (obj instanceof TensorRef ref) {
            return f.apply(ref);
        }
        if (obj instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k, walk(v, f)));
            return out;
        }
        if (obj instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(v -> out.add(walk(v, f)));
            return out;
        }
        if (obj instanceof Object[] tuple) {
            List<Object> out = new ArrayList<>();
            for (Object v : tuple) {
                out.add(walk(v, f));
            }
            return out;
        }
        return obj;
    }

    /** Resolves torch's persistent ids ('storage', type, key, location, numel[, view]) to storage refs. */
    private static final class TorchUnpickler extends BoundedUnpickler {
        /** Legacy files give storage sizes only after the pickle: remember each key's type. */
        final Map<String, StorageRef> storages = new HashMap<>();

        @Override
        protected Object persistentLoad(Object pid) {
            Object[] t = pid instanceof Object[] a ? a : ((List<?>) pid).toArray();
            if (t.length < 5 || !"storage".equals(t[0]) || !(t[1] instanceof StorageType type)) {
                throw new PickleException("unsupported persistent id in PyTorch file: " + Arrays.toString(t));
            }
            StorageRef ref = new StorageRef(t[2].toString(), type);
            storages.put(ref.key, ref);
            return ref;
        }
    }

    /** The storage element types torch pickles by class name. */
    enum StorageType implements IObjectConstructor {
        FLOAT("FloatStorage", 4),
        DOUBLE("DoubleStorage", 8),
        HALF("HalfStorage", 2),
        BFLOAT16("BFloat16Storage", 2),
        LONG("LongStorage", 8),
        INT("IntStorage", 4),
        SHORT("ShortStorage", 2),
        CHAR("CharStorage", 1),
        BYTE("ByteStorage", 1),
        BOOL("BoolStorage", 1);

        final String pythonName;
        final int bytes;

        StorageType(String pythonName, int bytes) {
            this.pythonName = pythonName;
            this.bytes = bytes;
        }

        @Override
        public Object construct(Object[] args) {
            throw new PickleException("torch." + pythonName + " is never called in a state_dict");
        }

        float get(ByteBuffer b, long index) {
            int i = Math.toIntExact(index * bytes);
            return switch (this) {
                case FLOAT -> b.getFloat(i);
                case DOUBLE -> (float) b.getDouble(i);
                case HALF -> Float16.toFloat(b.getShort(i));
                case BFLOAT16 -> Float.intBitsToFloat((b.getShort(i) & 0xffff) << 16);
                case LONG -> b.getLong(i);
                case INT -> b.getInt(i);
                case SHORT -> b.getShort(i);
                case CHAR -> b.get(i);
                case BYTE, BOOL -> b.get(i) & 0xff;
            };
        }
    }

    private record StorageRef(String key, StorageType type) {}

    /** A tensor as the pickle describes it: a strided view of a storage. */
    private record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {

        static Object fromArgs(Object[] args) {
            if (args.length < 4 || !(args[0] instanceof StorageRef s)) {
                throw new PickleException("unexpected tensor arguments in PyTorch file");
            }
            return new TensorRef(s, ((Number) args[1]).longValue(), longs(args[2]), longs(args[3]));
        }

        private static long[] longs(Object tuple) {
            Object[] t = tuple instanceof Object[] a ? a : ((List<?>) tuple).toArray();
            long[] out = new long[t.length];
            for (int i = 0; i < t.length; i++) {
                out[i] = ((Number) t[i]).longValue();
            }
            return out;
        }

        Tensor toTensor(byte[] data) {
            ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            long stored = data.length / storage.type.bytes;
            if (size.length != stride.length) {
                throw new IllegalArgumentException("tensor of shape " + Tensor.shapeString(size) + " has "
                        + stride.length + " strides");
            }
            long n = 1;
            // the last element's index, saturated at the storage's end (anything there or past it is outside)
            long last = Math.min(Math.max(offset, -1), stored);
            for (int d = 0; d < size.length; d++) {
                if (size[d] < 0 || stride[d] < 0 || (size[d] > 0 && n > stored / size[d])) {
                    // a weight never has more elements than its storage: that would be a broadcast view
                    throw new IllegalArgumentException("tensor of shape " + Tensor.shapeString(size) + " has more"
                            + " elements than its storage " + storage.key + " (" + stored + ")");
                }
                n *= size[d];
                if (size[d] > 0) {
                    last = Math.min(stored, last + (size[d] - 1) * Math.min(stride[d], stored));
                }
            }
            if (n > 0 && (offset < 0 || last >= stored)) {
                throw new IllegalArgumentException("tensor of shape " + Tensor.shapeString(size) + " at offset "
                        + offset + " reaches past the end of its storage " + storage.key + " (" + stored
                        + " elements)");
            }
            float[] values = new float[(int) n];
            long[] index = new long[size.length];
            for (int i = 0; i < values.length; i++) {
                long at = offset;
                for (int d = 0; d < size.length; d++) {
                    at += index[d] * stride[d];
                }
                values[i] = storage.type.get(b, at);
                for (int d = size.length - 1; d >= 0 && ++index[d] == size[d]; d--) {
                    index[d] = 0;
                }
            }
            return new Tensor(size, values);
        }
    }

    /** Python's OrderedDict; attributes set on it (a state_dict's {@code _metadata}) are dropped. */
    public static final class PyOrderedDict extends LinkedHashMap<Object, Object> {
        private static final long serialVersionUID = 1L;

        public void __setstate__(HashMap<?, ?> state) {
            // state_dict metadata (module versions) means nothing to dic4j
        }
    }
}
