package io.dic4j.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dic4j.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Weights files that are not what they claim are refused, naming the file and what is wrong. */
class WeightsIntegrityTest {

    @TempDir
    Path dir;

    /**
     * Where an entry's data starts in a zip: after its local header (signature, then name and extra lengths). The
     * headers are searched for, since torch.save's local headers give no sizes to step from one to the next.
     */
    private static int dataOffset(byte[] zip, String nameSuffix) {
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        for (int at = 0; at + 30 < zip.length; at++) {
            if (b.getInt(at) != 0x04034b50) {
                continue;
            }
            int nameLength = b.getShort(at + 26) & 0xffff;
            int extraLength = b.getShort(at + 28) & 0xffff;
            if (at + 30 + nameLength <= zip.length
                    && new String(zip, at + 30, nameLength, StandardCharsets.UTF_8).endsWith(nameSuffix)) {
                return at + 30 + nameLength + extraLength;
            }
        }
        throw new AssertionError("no entry *" + nameSuffix + " in the zip");
    }

    @Test
    void aPthWithOneFlippedDataByteFailsItsCrcNamingFileAndEntry() throws IOException {
        byte[] zip = Files.readAllBytes(Fixtures.path("dic_small_state_dict.pth"));
        int at = dataOffset(zip, "/data/0");
        zip[at + 5] ^= 0x01; // a mantissa bit of the first storage's second float: still a plausible weight
        Path file = dir.resolve("flipped.pth");
        Files.write(file, zip);

        IOException e = assertThrows(IOException.class, () -> StateDict.read(file));
        assertTrue(e.getMessage().startsWith(file + ": zip entry "), e.getMessage());
        assertTrue(e.getMessage().contains("/data/0 fails its CRC-32 check (stored "), e.getMessage());
        assertTrue(e.getMessage().endsWith("the file is corrupt"), e.getMessage());
    }

    /** A safetensors file as {@link Safetensors#write} makes it, bypassing the refusal of non-finite weights. */
    private Path safetensors(String name, Map<String, Tensor> tensors) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Safetensors.write(new StateDict(tensors, Map.of(), "test"), out);
        Path file = dir.resolve(name);
        Files.write(file, out.toByteArray());
        return file;
    }

    @Test
    void nonFiniteWeightsAreRefusedOnReadAndNeverWritten() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("conv.bias", new Tensor(new long[] {2}, new float[] {0.5f, -1}));
        tensors.put("conv.weight", new Tensor(new long[] {3}, new float[] {1, Float.NaN, 2}));
        Path file = safetensors("nan.safetensors", tensors);

        IOException e = assertThrows(IOException.class, () -> StateDict.read(file));
        assertEquals(file + ": tensor conv.weight holds NaN (at flat index 1); weights must be finite numbers",
                e.getMessage());
        assertThrows(IOException.class, () -> StateDict.readWithOptimizer(file));

        tensors.put("conv.weight", new Tensor(new long[] {3}, new float[] {1, 2, Float.NEGATIVE_INFINITY}));
        Path out = dir.resolve("out.safetensors");
        IOException w = assertThrows(IOException.class,
                () -> new StateDict(tensors, Map.of(), "test").writeSafetensors(out));
        assertEquals(out + ": not written: tensor conv.weight holds -Infinity (at flat index 2); weights must be"
                + " finite numbers", w.getMessage());
        assertTrue(Files.notExists(out));
    }

    @Test
    void safetensorsWhoseHeaderAndDataSizesDisagreeAreRefused() throws IOException {
        Path good = safetensors("good.safetensors",
                Map.of("w", new Tensor(new long[] {2, 2}, new float[] {1, 2, 3, 4})));
        byte[] bytes = Files.readAllBytes(good);
        assertEquals(4, StateDict.read(good).tensors().get("w").values().length);

        Path longer = dir.resolve("longer.safetensors");
        Files.write(longer, Arrays.copyOf(bytes, bytes.length + 4));
        IOException e = assertThrows(IOException.class, () -> StateDict.read(longer));
        assertEquals(longer + ": the safetensors header describes 16 bytes of data, the file holds 20 (bytes no"
                + " tensor owns)", e.getMessage());

        Path shorter = dir.resolve("shorter.safetensors");
        Files.write(shorter, Arrays.copyOf(bytes, bytes.length - 4));
        e = assertThrows(IOException.class, () -> StateDict.read(shorter));
        assertEquals(shorter + ": safetensors tensor w lies outside the file (truncated?)", e.getMessage());

        Path misshapen = dir.resolve("misshapen.safetensors");
        Files.write(misshapen, new String(bytes, StandardCharsets.ISO_8859_1).replace("[2,2]", "[2,3]")
                .getBytes(StandardCharsets.ISO_8859_1));
        e = assertThrows(IOException.class, () -> StateDict.read(misshapen));
        assertEquals(misshapen + ": safetensors tensor w of shape 2x3 and dtype F32 needs 24 bytes, its data_offsets"
                + " give 16", e.getMessage());
    }

    /** The legacy-format seed of the fuzz test (core/src/test/python/fuzz_seeds.py): two tensors, 6 floats. */
    private static byte[] legacySeed() throws IOException {
        try (var in = WeightsIntegrityTest.class.getResourceAsStream("WeightsFuzzTestInputs/pth/legacy.pth")) {
            return in.readAllBytes();
        }
    }

    private static int indexOf(byte[] b, byte[] what) {
        for (int i = 0; i + what.length <= b.length; i++) {
            if (Arrays.equals(b, i, i + what.length, what, 0, what.length)) {
                return i;
            }
        }
        throw new AssertionError("pattern not found");
    }

    @Test
    void lengthFieldsThatPromiseMoreThanTheFileHoldsAreRefusedBeforeAllocating() throws IOException {
        Path seed = dir.resolve("seed.pth");
        Files.write(seed, legacySeed());
        assertEquals(4, StateDict.read(seed).tensors().get("conv.weight").values().length);

        // the element count of the last storage, just before its 2 floats
        byte[] huge = legacySeed();
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putLong(huge.length - 16, 1L << 40);
        Path count = dir.resolve("count.pth");
        Files.write(count, huge);
        assertEquals(count + ": storage 1 claims 1099511627776 elements, more than the file holds",
                assertThrows(IOException.class, () -> StateDict.read(count)).getMessage());
    }

    @Test
    void aTensorViewBeyondItsStorageIsRefused() throws IOException {
        byte[] b = legacySeed();
        // conv.weight's size (2, 2) in the pickle (BININT1 2, BININT1 2, TUPLE2) becomes (2, 3): 6 of 4 elements
        int at = indexOf(b, new byte[] {'K', 2, 'K', 2, (byte) 0x86});
        b[at + 3] = 3;
        Path file = dir.resolve("view.pth");
        Files.write(file, b);
        assertEquals(file + ": tensor of shape 2x3 has more elements than its storage 0 (4)",
                assertThrows(IOException.class, () -> StateDict.read(file)).getMessage());
    }
}
