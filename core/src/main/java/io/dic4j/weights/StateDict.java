package io.dic4j.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;
import io.dic4j.infer.Inference;
import io.dic4j.util.AtomicFiles;

/**
 * Named tensors under their PyTorch state_dict names, as read from or written to a weights file.
 *
 * <p>Reads: a bare {@code state_dict} {@code .pth}, a reference solver checkpoint {@code .pth} (a dict with
 * {@code 'state_dict'}, or DICGAN's with {@code 'netG'}; optimizer, discriminator and records are ignored), both in
 * PyTorch's zip or legacy format;
 * {@code .npz}; safetensors. Writes safetensors, with string metadata.
 *
 * @param tensors tensors by PyTorch name
 * @param metadata string metadata (safetensors only; empty otherwise)
 * @param source where the tensors came from, for messages
 */
public record StateDict(Map<String, Tensor> tensors, Map<String, String> metadata, String source) {

    /** Where the reference's checkpoints keep the weights: DIC's solver, other trainers, DICGAN's generator. */
    private static final List<String> CHECKPOINT_WEIGHTS = List.of("state_dict", "model", "netG");

    /** Metadata key of a dic4j training checkpoint (its training state as JSON). */
    public static final String CHECKPOINT_METADATA = "dic4j.checkpoint";

    /** Name prefix of the optimizers' tensors inside a dic4j checkpoint; read as a model, they are left out. */
    public static final String OPTIMIZER_PREFIX = "optimizer.";
    /** Name prefix of an adversary's weights (DICGAN's discriminator) inside a checkpoint; left out as well. */
    public static final String ADVERSARY_PREFIX = "netD.";
    private static final String DATA_PARALLEL_PREFIX = "module.";

    /** Reads any supported weights file, telling the format from its content. */
    public static StateDict read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such file");
        }
        if (Files.size(file) < 9) {
            throw new IOException(file + ": too short to be a weights file (" + Files.size(file) + " bytes)");
        }
        try {
            byte[] head;
            try (InputStream in = Files.newInputStream(file)) {
                head = in.readNBytes(9);
            }
            if (Safetensors.hasHeader(head)) {
                try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
                    return withoutOptimizer(Safetensors.read(in, file.toString())).requireFinite();
                }
            }
            if (isZip(file) && isNpz(file)) {
                return readNpz(file).requireFinite();
            }
            return fromPickle(PthReader.read(file, StateDict::weightsOf), file.toString()).requireFinite();
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** A dic4j checkpoint read as a model: its weights only (see {@link #readWithOptimizer}). */
    private static StateDict withoutOptimizer(StateDict d) {
        if (!d.metadata().containsKey(CHECKPOINT_METADATA)) {
            return d;
        }
        Map<String, Tensor> weights = new LinkedHashMap<>(d.tensors());
        weights.keySet().removeIf(k -> k.startsWith(OPTIMIZER_PREFIX) || k.startsWith(ADVERSARY_PREFIX));
        return new StateDict(weights, d.metadata(), d.source());
    }

    /**
     * Reads a dic4j checkpoint whole: weights, optimizer tensors under {@link #OPTIMIZER_PREFIX}, an adversary's
     * weights under {@link #ADVERSARY_PREFIX}.
     */
    public static StateDict readWithOptimizer(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return Safetensors.read(in, file.toString()).requireFinite();
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    static boolean isZip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] b = in.readNBytes(2);
            return b.length == 2 && b[0] == 'P' && b[1] == 'K';
        }
    }

    private static boolean isNpz(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return zip.stream().anyMatch(e -> e.getName().endsWith(".npy"));
        }
    }

    private static StateDict readNpz(Path file) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        try (NDManager manager = NDManager.newBaseManager("PyTorch");
                InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            for (NDArray a : NDList.decode(manager, in)) {
                tensors.put(a.getName(), new Tensor(a.getShape().getShape(), a.toType(DataType.FLOAT32, false).toFloatArray()));
            }
        }
        return new StateDict(tensors, Map.of(), file.toString());
    }

    /**
     * A solver checkpoint's weights (under {@code state_dict}, {@code model} or, in DICGAN's, {@code netG}, as the
     * reference's loader looks for them); anything else as it is (a bare state_dict).
     */
    static Object weightsOf(Object unpickled) {
        if (unpickled instanceof Map<?, ?> map) {
            for (String key : CHECKPOINT_WEIGHTS) {
                if (map.get(key) instanceof Map<?, ?> inner) {
                    return inner;
                }
            }
        }
        return unpickled;
    }

    /** The state_dict inside an unpickled {@code torch.save} object, tensors materialised. */
    private static StateDict fromPickle(Object obj, String source) throws IOException {
        if (!(obj instanceof Map<?, ?> map)) {
            throw new IOException("holds a " + (obj == null ? "None" : obj.getClass().getSimpleName())
                    + ", not a state_dict or a checkpoint with " + CHECKPOINT_WEIGHTS);
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        List<String> notTensors = new ArrayList<>();
        map.forEach((k, v) -> {
            if (v instanceof Tensor t) {
                tensors.put(k.toString(), t);
            } else {
                notTensors.add(k.toString());
            }
        });
        if (!notTensors.isEmpty()) {
            throw new IOException("not a state_dict: entries that are not tensors: " + notTensors);
        }
        // nn.DataParallel saves every name under "module."
        if (!tensors.isEmpty() && tensors.keySet().stream().allMatch(k -> k.startsWith(DATA_PARALLEL_PREFIX))) {
            Map<String, Tensor> stripped = new LinkedHashMap<>();
            tensors.forEach((k, v) -> stripped.put(k.substring(DATA_PARALLEL_PREFIX.length()), v));
            return new StateDict(stripped, Map.of(), source);
        }
        return new StateDict(tensors, Map.of(), source);
    }

    /** The parameters of an initialised block, under their PyTorch names. */
    public static StateDict of(Block block, Map<String, String> metadata) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        StateDictNames.torchNames(block).forEach((name, p) -> {
            NDArray a = p.getArray();
            tensors.put(name, new Tensor(a.getShape().getShape(), a.toFloatArray()));
        });
        return new StateDict(tensors, metadata, "model");
    }

    /**
     * Writes safetensors atomically: a reader never sees a partial file. Non-finite weights are refused (as
     * {@link #read} refuses them), so a diverged network never overwrites a good file.
     */
    public void writeSafetensors(Path file) throws IOException {
        String nonFinite = firstNonFinite();
        if (nonFinite != null) {
            throw new IOException(file + ": not written: " + nonFinite);
        }
        AtomicFiles.write(file, out -> Safetensors.write(this, out));
    }

    /** This dict, or an error naming its first tensor with a NaN or infinite value: such weights give NaN faces. */
    private StateDict requireFinite() throws IOException {
        String nonFinite = firstNonFinite();
        if (nonFinite != null) {
            throw new IOException(nonFinite);
        }
        return this;
    }

    private String firstNonFinite() {
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            float[] v = e.getValue().values();
            for (int i = 0; i < v.length; i++) {
                if (!Float.isFinite(v[i])) {
                    return "tensor " + e.getKey() + " holds " + v[i] + " (at flat index " + i + "); weights must be"
                            + " finite numbers";
                }
            }
        }
        return null;
    }

    /** This dict with every name prefixed (e.g. a stand-alone hourglass file's names under {@code "HG."}). */
    public StateDict withPrefix(String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        tensors.forEach((k, v) -> out.put(prefix + k, v));
        return new StateDict(out, metadata, source);
    }

    /** The tensors whose names start with {@code prefix}, the prefix removed. */
    public StateDict under(String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        tensors.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return new StateDict(out, metadata, source);
    }

    /** This dict restricted to the given names (e.g. the weights inside a fixture that also holds outputs). */
    public StateDict only(Collection<String> names) {
        Map<String, Tensor> kept = new LinkedHashMap<>();
        tensors.forEach((k, v) -> {
            if (names.contains(k)) {
                kept.put(k, v);
            }
        });
        return new StateDict(kept, metadata, source);
    }

    /**
     * Copies every tensor into the block's initialised parameters. Strict: any missing, unexpected or
     * wrongly shaped tensor fails the load, and the message names each one; nothing is copied then.
     */
    public void loadInto(Block block) {
        loadInto(block, "");
    }

    /**
     * Copies every tensor into the block's parameters whose PyTorch names start with {@code prefix} (e.g. the
     * hourglass of a DIC, {@code "HG."}), strictly as {@link #loadInto(Block)} does over that part.
     */
    public void loadInto(Block block, String prefix) {
        Map<String, Parameter> params = new LinkedHashMap<>(StateDictNames.torchNames(block));
        params.keySet().removeIf(k -> !k.startsWith(prefix));
        List<String> missing = params.keySet().stream().filter(k -> !tensors.containsKey(k)).toList();
        List<String> unexpected = tensors.keySet().stream().filter(k -> !params.containsKey(k)).toList();
        List<String> wrongShape = new ArrayList<>();
        params.forEach((name, p) -> {
            Tensor t = tensors.get(name);
            Shape want = p.getArray().getShape();
            if (t != null && !Arrays.equals(t.shape(), want.getShape())) {
                wrongShape.add(name + " (file " + t.shapeString() + ", model " + Tensor.shapeString(want.getShape())
                        + ")");
            }
        });
        if (!missing.isEmpty() || !unexpected.isEmpty() || !wrongShape.isEmpty()) {
            StringBuilder msg = new StringBuilder(source + " does not fit the network:");
            appendList(msg, "missing", missing);
            appendList(msg, "unexpected", unexpected);
            appendList(msg, "wrong shape", wrongShape);
            throw new WeightsMismatchException(msg.toString());
        }
        // Not NDArray.set(Buffer): DJL's native copy for it enters libtorch's deprecated AutoNonVariableTypeMode,
        // which prints a 400-character warning on every run. An in-place put of a tensor made from the same floats
        // writes the same bytes through the ordinary dispatcher; without grad mode, because the parameters may
        // already require gradients (a resumed training run).
        Inference.withoutGradients(() -> {
            params.forEach((name, p) -> copyInto(p.getArray(), tensors.get(name)));
            return null;
        });
    }

    private static void copyInto(NDArray parameter, Tensor t) {
        try (NDArray values = parameter.getManager().create(FloatBuffer.wrap(t.values()), parameter.getShape())) {
            parameter.set(new NDIndex("..."), values);
        }
    }

    private static void appendList(StringBuilder msg, String what, List<String> names) {
        if (!names.isEmpty()) {
            msg.append("\n  ").append(what).append(" (").append(names.size()).append("): ")
                    .append(String.join(", ", names));
        }
    }
}
