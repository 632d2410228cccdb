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
 * Kernels derived from weights (the phase-layout projections', a transposed conv's): made once, outliving the block
 * scope that asked, giving the layer's own output, and never used where gradients are recorded.
 */
class CachingParameterStoreTest {

    private static final Shape INPUT = new Shape(2, 3, 4, 5);

    @Test
    void aKernelIsDerivedOnceAndOutlivesTheScopeThatMadeIt() {
        try (NDManager m = NDManager.newBaseManager()) {
            ConvLayer up = projection(true);
            up.initialize(m, DataType.FLOAT32, INPUT);
            Parameter weight = up.getParameters().get("weight");
            CachingParameterStore store = new CachingParameterStore(m);
            AtomicInteger derivations = new AtomicInteger();
            NDList first;
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                first = store.kernels(weight, m.getDevice(), w -> {
                    derivations.incrementAndGet();
                    return new NDList(w.add(w), w.neg());
                });
            }
            NDList second = store.kernels(weight, m.getDevice(), w -> {
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
    void cachedKernelsGiveTheLayersOutputAndGradientsBypassThem() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            ConvLayer up = projection(true);
            ConvLayer down = projection(false);
            up.initialize(m, DataType.FLOAT32, INPUT);
            down.initialize(m, DataType.FLOAT32, up.getOutputShapes(new Shape[] {INPUT}));
            NDArray x = m.randomNormal(INPUT);
            CachingParameterStore store = new CachingParameterStore(m);

            NDArray plain = Inference.withoutGradients(() -> pair(up, down, new ParameterStore(m, false), x));
            NDArray cached = Inference.withoutGradients(() -> pair(up, down, store, x));
            NDArray again = Inference.withoutGradients(() -> pair(up, down, store, x));
            assertEquals(INPUT.slice(2), plain.getShape().slice(2));
            assertClose(cached, plain, 0, "through cached kernels");
            assertClose(again, plain, 0, "cached kernels reused");

            // the store now holds kernels without a graph; a recorded forward must derive its own
            NDArray upWeight = up.getParameters().get("weight").getArray();
            NDArray downWeight = down.getParameters().get("weight").getArray();
            upWeight.setRequiresGradient(true);
            downWeight.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(pair(up, down, store, x).sum());
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
            CachingParameterStore store = new CachingParameterStore(m);

            NDArray plain = Inference.withoutGradients(() -> up.apply(new ParameterStore(m, false), x, false));
            NDArray cached = Inference.withoutGradients(() -> up.apply(store, x, false));
            assertEquals(new Shape(2, 4, 8, 10), plain.getShape());
            assertClose(cached, plain, 0, "through the kept kernel");
            AtomicInteger derivations = new AtomicInteger();
            store.kernels(up.getParameters().get("weight"), m.getDevice(), w -> {
                derivations.incrementAndGet();
                return new NDList(w);
            });
            assertEquals(0, derivations.get(), "the forward left its kernel in the store");

            NDArray weight = up.getParameters().get("weight").getArray();
            weight.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(up.apply(store, x, false).sum());
            }
            assertTrue(weight.getGradient().abs().sum().getFloat() > 0, "weight gradient");
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
}
