package io.dic4j.data;

import io.dic4j.util.BoundedUnpickler;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;

/**
 * Reads Python pickles (protocols 2–5) that may hold numpy arrays and scalars, with Pyrolite. Arrays come back
 * as {@link NdArray}; numpy 1.x ({@code numpy.core}) and 2.x ({@code numpy._core}) module names are both known.
 */
final class NumpyPickle {

    static {
        for (String module : List.of("numpy.core.multiarray", "numpy._core.multiarray")) {
            Unpickler.registerConstructor(module, "_reconstruct", args -> new NdArray());
            Unpickler.registerConstructor(module, "scalar", NumpyPickle::scalar);
        }
        // the class argument of _reconstruct; never called itself
        Unpickler.registerConstructor("numpy", "ndarray", args -> {
            throw new PickleException("numpy.ndarray is never called in a pickle");
        });
        Unpickler.registerConstructor("numpy", "dtype", args -> new Dtype(String.valueOf(args[0])));
    }

    private NumpyPickle() {}

    /** The unpickled object; arrays inside maps, lists and tuples are {@link NdArray}s. */
    static Object load(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return new OrderedUnpickler().load(in);
        } catch (RuntimeException e) {
            // Pyrolite fails on garbage with whatever exception the bytes lead to
            throw new IOException("not a readable pickle (" + e + ")", e);
        }
    }

    /** Keeps dicts in pickle order (Python's insertion order, which the reference iterates in). */
    private static final class OrderedUnpickler extends BoundedUnpickler {
        private static final short EMPTY_DICT = '}';
        private static final short DICT = 'd';
        private static final short SETITEMS = 'u';

        @Override
        protected Object dispatch(short opcode) throws IOException {
            if (opcode == EMPTY_DICT) {
                stack.add(new LinkedHashMap<>());
                return NO_RETURN_VALUE;
            }
            if (opcode == DICT || opcode == SETITEMS) {
                List<Object> items = stack.pop_all_since_marker();
                Map<Object, Object> dict = opcode == DICT ? new LinkedHashMap<>() : castMap(stack.peek());
                for (int i = 0; i + 1 < items.size(); i += 2) {
                    dict.put(items.get(i), items.get(i + 1));
                }
                if (opcode == DICT) {
                    stack.add(dict);
                }
                return NO_RETURN_VALUE;
            }
            return super.dispatch(opcode);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> castMap(Object o) {
        if (!(o instanceof Map)) {
            throw new PickleException("SETITEMS on a " + o.getClass().getSimpleName() + ", not a dict");
        }
        return (Map<Object, Object>) o;
    }

    private static Object scalar(Object[] args) {
        if (args.length != 2 || !(args[0] instanceof Dtype dtype) || !(args[1] instanceof byte[] raw)) {
            throw new PickleException("unexpected numpy scalar arguments");
        }
        return dtype.read(raw, 1)[0];
    }

    /** A numpy array as {@code ndarray.__reduce__} pickles it, converted to doubles in C order. */
    public static final class NdArray {
        private int[] shape = {};
        private double[] values = {};

        /** numpy's (version, shape, dtype, is_fortran, data) state. */
        public void __setstate__(Object[] state) {
            if (state.length != 5 || !(state[2] instanceof Dtype dtype)) {
                throw new PickleException("unexpected numpy array state");
            }
            Object[] dims = state[1] instanceof Object[] t ? t : ((List<?>) state[1]).toArray();
            shape = Arrays.stream(dims).mapToInt(d -> ((Number) d).intValue()).toArray();
            int n = Arrays.stream(shape).reduce(1, Math::multiplyExact);
            double[] flat = state[4] instanceof byte[] raw ? dtype.read(raw, n) : objects((List<?>) state[4], n);
            values = Boolean.TRUE.equals(state[3]) ? fortranToC(flat, shape) : flat;
        }

        public int[] shape() {
            return shape.clone();
        }

        public double[] values() {
            return values.clone();
        }

        private static double[] objects(List<?> items, int n) {
            if (items.size() != n) {
                throw new PickleException("numpy object array holds " + items.size() + " items, shape says " + n);
            }
            return items.stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
        }

        private static double[] fortranToC(double[] f, int[] shape) {
            double[] c = new double[f.length];
            int[] index = new int[shape.length];
            for (int i = 0; i < c.length; i++) {
                int at = 0;
                for (int d = shape.length - 1; d >= 0; d--) {
                    at = at * shape[d] + index[d];
                }
                c[i] = f[at];
                for (int d = shape.length - 1; d >= 0 && ++index[d] == shape[d]; d--) {
                    index[d] = 0;
                }
            }
            return c;
        }
    }

    /** A numpy dtype: kind and size from its name ('f8', 'i8', 'u1'…), byte order from its state. */
    public static final class Dtype {
        private final char kind;
        private final int size;
        private ByteOrder order = ByteOrder.LITTLE_ENDIAN;

        Dtype(String name) {
            if (name.length() < 2 || "fiub".indexOf(name.charAt(0)) < 0) {
                throw new PickleException("numpy dtype '" + name + "' is not a number type");
            }
            kind = name.charAt(0);
            size = Integer.parseInt(name.substring(1));
        }

        /** numpy's (version, byte order, …) state. */
        public void __setstate__(Object[] state) {
            if (state.length > 1 && ">".equals(state[1])) {
                order = ByteOrder.BIG_ENDIAN;
            }
        }

        double[] read(byte[] raw, int n) {
            if (raw.length != (long) n * size) {
                throw new PickleException("numpy data has " + raw.length + " bytes, expected " + (long) n * size);
            }
            ByteBuffer b = ByteBuffer.wrap(raw).order(order);
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                out[i] = switch (kind + "" + size) {
                    case "f8" -> b.getDouble();
                    case "f4" -> b.getFloat();
                    case "i8" -> b.getLong();
                    case "i4" -> b.getInt();
                    case "i2" -> b.getShort();
                    case "i1" -> b.get();
                    case "u8" -> {
                        long v = b.getLong();
                        yield v >= 0 ? v : (v >>> 1) * 2.0 + (v & 1);
                    }
                    case "u4" -> Integer.toUnsignedLong(b.getInt());
                    case "u2" -> Short.toUnsignedInt(b.getShort());
                    case "u1", "b1" -> Byte.toUnsignedInt(b.get());
                    default -> throw new PickleException("numpy dtype " + kind + size + " is not supported");
                };
            }
            return out;
        }
    }

    /** Lists and tuples as Java lists (Pyrolite gives tuples as arrays). */
    static List<?> sequence(Object o) {
        if (o instanceof Object[] t) {
            return Arrays.asList(t);
        }
        return o instanceof List<?> l ? l : null;
    }

    /** A pickled dict with string keys, in pickle order. */
    static Map<String, Object> stringMap(Object o) {
        if (!(o instanceof Map<?, ?> m)) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    static double[] numbers(Object o) {
        if (o instanceof NdArray a) {
            return a.values();
        }
        List<?> seq = sequence(o);
        if (seq == null) {
            return null;
        }
        List<Double> out = new ArrayList<>();
        for (Object v : seq) {
            if (v instanceof Number num) {
                out.add(num.doubleValue());
            } else {
                double[] inner = numbers(v);
                if (inner == null) {
                    return null;
                }
                for (double d : inner) {
                    out.add(d);
                }
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
