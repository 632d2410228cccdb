package io.dic4j.weights;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The safetensors format (8-byte little-endian header length, JSON header, raw little-endian data), with
 * string metadata in {@code __metadata__}: what {@code safetensors.torch.load_file} reads. DJL's own writer
 * cannot store metadata, so dic4j writes the format itself.
 */
final class Safetensors {

    static final String METADATA = "__metadata__";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER = 100L << 20;

    private Safetensors() {}

    static boolean hasHeader(byte[] first9) {
        return first9.length >= 9 && first9[8] == '{';
    }

    static StateDict read(InputStream stream, String source) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        byte[] len = new byte[8];
        in.readFully(len);
        long headerLength = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLength <= 0 || headerLength > MAX_HEADER) {
            throw new IOException("not a safetensors file: header length " + headerLength);
        }
        // read as far as the file goes, not allocated up front from the length field
        byte[] header = in.readNBytes((int) headerLength);
        if (header.length < headerLength) {
            throw new IOException("the safetensors header is " + headerLength + " bytes long, the file ends after "
                    + header.length);
        }
        JsonNode root = JSON.readTree(header);
        byte[] data = in.readAllBytes();
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        long described = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals(METADATA)) {
                metadata.putAll(JSON.convertValue(e.getValue(), new TypeReference<Map<String, String>>() {}));
                continue;
            }
            JsonNode t = e.getValue();
            if (!t.path("shape").isArray() || !t.path("dtype").isTextual() || t.path("data_offsets").size() != 2) {
                throw new IOException("safetensors tensor " + e.getKey() + " lacks a shape, a dtype or its two"
                        + " data_offsets");
            }
            long[] shape = JSON.convertValue(t.get("shape"), long[].class);
            long begin = t.get("data_offsets").get(0).asLong();
            long end = t.get("data_offsets").get(1).asLong();
            if (end > data.length || begin > end || begin < 0) {
                throw new IOException("safetensors tensor " + e.getKey() + " lies outside the file (truncated?)");
            }
            String dtype = t.get("dtype").asText();
            long needed = bytes(shape, elementBytes(dtype, e.getKey()));
            if (needed != end - begin) {
                throw new IOException("safetensors tensor " + e.getKey() + " of shape " + Tensor.shapeString(shape)
                        + " and dtype " + dtype + " needs " + (needed < 0 ? "more bytes than a file holds"
                        : needed + " bytes") + ", its data_offsets give " + (end - begin));
            }
            described = Math.max(described, end);
            tensors.put(e.getKey(), new Tensor(shape, decode(dtype, b, (int) begin, (int) end)));
        }
        if (described != data.length) {
            throw new IOException("the safetensors header describes " + described + " bytes of data, the file holds "
                    + data.length + (described < data.length ? " (bytes no tensor owns)" : ""));
        }
        return new StateDict(tensors, metadata, source);
    }

    /** Bytes a tensor of this shape takes, or -1 when none could (a negative or overflowing size). */
    private static long bytes(long[] shape, long elementBytes) {
        long n = elementBytes;
        for (long d : shape) {
            if (d < 0 || (d > 0 && n > Long.MAX_VALUE / d)) {
                return -1;
            }
            n *= d;
        }
        return n;
    }

    private static int elementBytes(String dtype, String name) throws IOException {
        return switch (dtype) {
            case "F32" -> 4;
            case "F64" -> 8;
            case "F16", "BF16" -> 2;
            default -> throw new IOException("tensor " + name + " has dtype " + dtype + "; dic4j reads F32, F64,"
                    + " F16 and BF16");
        };
    }

    private static float[] decode(String dtype, ByteBuffer b, int begin, int end) {
        int size = dtype.equals("F32") ? 4 : dtype.equals("F64") ? 8 : 2;
        float[] v = new float[(end - begin) / size];
        for (int i = 0; i < v.length; i++) {
            int at = begin + i * size;
            v[i] = switch (dtype) {
                case "F32" -> b.getFloat(at);
                case "F64" -> (float) b.getDouble(at);
                case "F16" -> Float16.toFloat(b.getShort(at));
                default -> Float.intBitsToFloat((b.getShort(at) & 0xffff) << 16);
            };
        }
        return v;
    }

    static void write(StateDict dict, OutputStream out) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (!dict.metadata().isEmpty()) {
            header.set(METADATA, JSON.valueToTree(dict.metadata()));
        }
        // the reference implementation sorts tensors by name
        Map<String, Tensor> sorted = new TreeMap<>(dict.tensors());
        long offset = 0;
        for (Map.Entry<String, Tensor> e : sorted.entrySet()) {
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", "F32");
            ArrayNode shape = t.putArray("shape");
            for (long d : e.getValue().shape()) {
                shape.add(d);
            }
            long end = offset + 4L * e.getValue().values().length;
            t.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8; // keeps the data 8-byte aligned
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        out.write(head.array());
        for (Tensor t : sorted.values()) {
            ByteBuffer data = ByteBuffer.allocate(4 * t.values().length).order(ByteOrder.LITTLE_ENDIAN);
            data.asFloatBuffer().put(t.values());
            out.write(data.array());
        }
    }

}
