package io.dic4j.model.layers;

import static io.dic4j.testing.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.dic4j.infer.Inference;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A forward pass tells its blocks its mode and sets the engine's to match. In inference it keeps the kernels derived
 * from weights (the phase-layout projections', a transposed conv's): made once, outliving the block scope that asked,
 * giving the layer's own output; a recorded pass derives its own.
 */
class ForwardPassTest {

    private static final Shape INPUT = new Shape(2, 3, 4, 5);

    @Test
    void aKernelIsDerivedOnceAndOutlivesTheScopeThatMadeIt() {
        try (NDManager m = NDManager.newBaseManager()) {
            ConvLayer up = projection(true);
            up.initialize(m, DataType.FLOAT32, INPUT);
            Parameter weight = up.getParameters().get("weight");
            ForwardPass store = ForwardPass.of(m, ForwardMode.INFERENCE);
            NDArray x = m.zeros(INPUT);
            AtomicInteger derivations = new AtomicInteger();
            NDList first;
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                first = ForwardPass.derived(store, weight, x, false, w -> {
                    derivations.incrementAndGet();
                    return new NDList(w.add(w), w.neg());
                });
            }
            NDList second = ForwardPass.derived(store, weight, x, false, w -> {
                derivations.incrementAndGet();
                return new NDList(w);
            });
            assertEquals(1, derivations.get());
            assertSame(first, second);
            assertFalse(first.get(0).isReleased() || first.get(1).isReleased());
            assertClose(first.get(0), weight.getArray().add(weight.getArray()), 0, "derived kernel");
            assertClose(first.get(1), weight.getArray().neg(), 0, "second derived kernel");
        }
    }

    @Test
    void keptKernelsGiveTheLayersOutputAndARecordedPassDerivesItsOwn() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            ConvLayer up = projection(true);
            ConvLayer down = projection(false);
            up.initialize(m, DataType.FLOAT32, INPUT);
            down.initialize(m, DataType.FLOAT32, up.getOutputShapes(new Shape[] {INPUT}));
            NDArray x = m.randomNormal(INPUT);
            ForwardPass store = ForwardPass.of(m, ForwardMode.INFERENCE);

            NDArray plain = Inference.withoutGradients(() -> pair(up, down, new ParameterStore(m, false), x));
            NDArray cached = store.run(() -> pair(up, down, store, x));
            NDArray again = store.run(() -> pair(up, down, store, x));
            assertEquals(INPUT.slice(2), plain.getShape().slice(2));
            assertClose(cached, plain, 0, "through cached kernels");
            assertClose(again, plain, 0, "cached kernels reused");

            // the inference pass holds kernels without a graph; a recorded pass derives its own
            NDArray upWeight = up.getParameters().get("weight").getArray();
            NDArray downWeight = down.getParameters().get("weight").getArray();
            upWeight.setRequiresGradient(true);
            downWeight.setRequiresGradient(true);
            ForwardPass recorded = ForwardPass.of(m, ForwardMode.RECORDED);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(pair(up, down, recorded, x).sum());
            }
            assertTrue(upWeight.getGradient().abs().sum().getFloat() > 0, "up weight gradient");
            assertTrue(downWeight.getGradient().abs().sum().getFloat() > 0, "down weight gradient");
        }
    }

    @Test
    void aPlainTransposedConvKeepsItsKernelToo() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(4);
            ConvLayer up = ConvLayer.builder(3, 4, 4).optStride(2).optPadding(1).optTransposed(true).build();
            up.initialize(m, DataType.FLOAT32, INPUT);
            NDArray x = m.randomNormal(INPUT);
            ForwardPass store = ForwardPass.of(m, ForwardMode.INFERENCE);

            NDArray plain = Inference.withoutGradients(() -> apply(up, new ParameterStore(m, false), x));
            NDArray cached = store.run(() -> apply(up, store, x));
            assertEquals(new Shape(2, 4, 8, 10), plain.getShape());
            assertClose(cached, plain, 0, "through the kept kernel");
            AtomicInteger derivations = new AtomicInteger();
            ForwardPass.derived(store, up.getParameters().get("weight"), x, false, w -> {
                derivations.incrementAndGet();
                return new NDList(w);
            });
            assertEquals(0, derivations.get(), "the forward left its kernel in the store");

            NDArray weight = up.getParameters().get("weight").getArray();
            weight.setRequiresGradient(true);
            ForwardPass recorded = ForwardPass.of(m, ForwardMode.RECORDED);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(apply(up, recorded, x).sum());
            }
            assertTrue(weight.getGradient().abs().sum().getFloat() > 0, "weight gradient");
        }
    }

    @Test
    void aPassSetsTheEnginesGradModeForItsWorkAndAPlainStoreFollowsTheEngine() {
        try (NDManager m = NDManager.newBaseManager()) {
            ParameterStore plain = new ParameterStore(m, false);
            for (ForwardMode mode : ForwardMode.values()) {
                ForwardPass pass = ForwardPass.of(m, mode);
                for (boolean around : new boolean[] {false, true}) {
                    ForwardPass.recording(around, () -> {
                        assertEquals(mode, ForwardPass.modeOf(pass, true));
                        assertEquals(mode.recordsGraph(),
                                pass.run(() -> ForwardPass.modeOf(plain, true).recordsGraph()), mode + " inside");
                        assertEquals(around ? ForwardMode.RECORDED : ForwardMode.INFERENCE,
                                ForwardPass.modeOf(plain, false), "restored after " + mode);
                        return null;
                    });
                }
            }
            assertEquals(ForwardMode.CHECKPOINT,
                    ForwardPass.recording(false, () -> ForwardPass.modeOf(plain, true)));
        }
    }

    @Test
    void thePhaseLayoutNeedsAStridedConvWithoutBatchNorm() {
        assertThrows(IllegalArgumentException.class,
                () -> ConvLayer.builder(3, 3, 1).optPhaseLayout(true).build());
        assertThrows(IllegalArgumentException.class,
                () -> ConvLayer.builder(3, 3, 4).optStride(2).optBatchNorm(true).optPhaseLayout(true).build());
    }

    private static ConvLayer projection(boolean transposed) {
        return ConvLayer.builder(3, 3, 6).optStride(4).optPadding(1).optTransposed(transposed)
                .optActivation(Activation.PRELU).optPhaseLayout(true).build();
    }

    private static NDArray pair(ConvLayer up, ConvLayer down, ParameterStore ps, NDArray x) {
        return down.forward(ps, up.forward(ps, new NDList(x), false), false).singletonOrThrow();
    }

    private static NDArray apply(ConvLayer layer, ParameterStore ps, NDArray x) {
        return layer.forward(ps, new NDList(x), false).singletonOrThrow();
    }
}
