package io.dic4j.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.dic4j.model.DicConfig;
import io.dic4j.model.DicNet;
import io.dic4j.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightFormatsTest {

    @TempDir
    Path dir;

    static StateDict referenceWeights() throws IOException {
        return StateDict.read(Fixtures.path("dic_small_state_dict.pth"));
    }

    @Test
    void authorsFilesCarryNoConfigSoItIsInferredFromShapes() throws IOException {
        assertEquals(Fixtures.SMALL, DicWeights.configOf(referenceWeights()));
        assertEquals(Fixtures.SMALL, DicWeights.configOf(StateDict.read(Fixtures.path("dic_small_ckp.pth"))));
    }

    @Test
    void checkpointAndBareStateDictHoldTheSameTensorsAsTheNpz() throws IOException {
        StateDict npz = Fixtures.npz("dic_small.npz");
        StateDict ckp = StateDict.read(Fixtures.path("dic_small_ckp.pth"));
        assertEquals(180, ckp.tensors().size());
        ckp.tensors().forEach((name, t) -> {
            assertArrayEquals(npz.tensors().get(name).shape(), t.shape(), name);
            assertArrayEquals(npz.tensors().get(name).values(), t.values(), 0f, name);
        });
    }

    @Test
    void safetensorsRoundTripKeepsNamesShapesValuesAndConfig() throws IOException {
        Path file = dir.resolve("small.safetensors");
        try (NDManager m = NDManager.newBaseManager()) {
            DicNet net = DicWeights.load(Fixtures.path("dic_small_state_dict.pth"), null, m);
            DicWeights.save(net, file);
        }
        StateDict written = StateDict.read(file);
        StateDict reference = referenceWeights();
        assertEquals(reference.tensors().keySet(), written.tensors().keySet());
        reference.tensors().forEach((name, t) -> {
            assertArrayEquals(t.shape(), written.tensors().get(name).shape(), name);
            assertArrayEquals(t.values(), written.tensors().get(name).values(), 0f, name);
        });
        assertEquals(Fixtures.SMALL, DicWeights.configOf(written));
        // the header is what safetensors.torch.load_file expects: 8-byte length, JSON, 8-aligned data
        byte[] bytes = Files.readAllBytes(file);
        long headerLength = java.nio.ByteBuffer.wrap(bytes, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLength % 8);
        String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
        assertTrue(header.contains("\"conv_in.0.weight\":{\"dtype\":\"F32\",\"shape\":[64,3,3,3]"), header);
        assertTrue(header.contains("\"__metadata__\""), header);
    }

    @Test
    void everyMissingUnexpectedAndMisshapenTensorIsNamed() throws IOException {
        StateDict reference = referenceWeights();
        Map<String, Tensor> broken = new LinkedHashMap<>(reference.tensors());
        broken.remove("HG.hg_conv_out.2.bias");
        broken.remove("block.upBlocks.1.0.weight");
        broken.put("extra.weight", new Tensor(new long[] {1}, new float[] {0}));
        broken.put("conv_out.0.bias", new Tensor(new long[] {4}, new float[4]));
        StateDict bad = new StateDict(broken, Map.of(), "broken.pth");
        try (NDManager m = NDManager.newBaseManager()) {
            DicNet net = DicNet.builder().setConfig(Fixtures.SMALL).build();
            net.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new ai.djl.ndarray.types.Shape(1, 3, 16, 16));
            WeightsMismatchException e = assertThrows(WeightsMismatchException.class, () -> bad.loadInto(net));
            String msg = e.getMessage();
            assertTrue(msg.startsWith("broken.pth does not fit the network"), msg);
            assertTrue(msg.contains("missing (2): block.upBlocks.1.0.weight, HG.hg_conv_out.2.bias"), msg);
            assertTrue(msg.contains("unexpected (1): extra.weight"), msg);
            assertTrue(msg.contains("wrong shape (1): conv_out.0.bias (file 4, model 3)"), msg);
        }
    }

    @Test
    void aPaperConfigDoesNotAcceptSmallWeights() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            WeightsMismatchException e = assertThrows(WeightsMismatchException.class,
                    () -> DicWeights.load(Fixtures.path("dic_small_state_dict.pth"), DicConfig.PAPER, m));
            assertTrue(e.getMessage().contains("wrong shape"), e.getMessage());
            assertTrue(e.getMessage().contains("missing (116): first_block.upBlocks.2.0.weight"), e.getMessage());
        }
    }

    @Test
    void filesThatAreNotWeightsSayWhatTheyAre() throws IOException {
        Path text = dir.resolve("notes.pth");
        Files.writeString(text, "these are not weights at all");
        IOException e = assertThrows(IOException.class, () -> StateDict.read(text));
        assertTrue(e.getMessage().startsWith(text + ": not a PyTorch file"), e.getMessage());
        Path empty = Files.createFile(dir.resolve("empty.pth"));
        e = assertThrows(IOException.class, () -> StateDict.read(empty));
        assertTrue(e.getMessage().contains("too short"), e.getMessage());
        Path truncated = dir.resolve("truncated.pth");
        byte[] whole = Files.readAllBytes(Fixtures.path("dic_small_state_dict.pth"));
        Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length / 2));
        assertThrows(IOException.class, () -> StateDict.read(truncated));
    }

    /** The reference's checkpoints hold the weights under 'state_dict' (DIC), 'model' or 'netG' (DICGAN). */
    @Test
    void checkpointDictsGiveTheirWeightsAndBareStateDictsThemselves() {
        Map<String, Object> weights = Map.of("conv_in.0.weight", new Tensor(new long[] {1}, new float[] {1f}));
        Map<String, Object> gan = Map.of("netD", Map.of("features.0.filter.weight", "d"), "netG", weights,
                "step", 10);
        assertSame(weights, StateDict.weightsOf(gan));
        assertSame(weights, StateDict.weightsOf(Map.of("state_dict", weights, "best_pred", 20.5)));
        assertSame(weights, StateDict.weightsOf(Map.of("model", weights)));
        assertSame(weights, StateDict.weightsOf(weights));
    }
}
