package io.dic4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import io.dic4j.model.DicNet;
import io.dic4j.model.RecurrentState;
import io.dic4j.model.layers.ForwardMode;
import io.dic4j.model.layers.ForwardPass;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DIC's backward pass one step at a time (gradient checkpointing at the step boundaries): the forward runs
 * without a graph, keeping only what each step hands the next ({@link RecurrentState}); then, from the last step
 * back, each step is run again with a graph and its loss plus Σ (its next state · the gradient that state received
 * from the step after) is back-propagated, which gives the parameters this step's share of the gradient and the
 * state it read the gradient to hand on. The LR features, read by every step, collect their gradient the same way
 * and pass it to the first conv last. Memory: one step's activations instead of all T; cost: one more forward of
 * T − 1 steps. The gradients are the whole-graph backward's, summed in another order.
 */
public final class StepwiseBackward {

    private StepwiseBackward() {}

    /**
     * Runs the forward and backward of one batch, leaving the gradients in the parameters.
     *
     * @param lr (N, C, h, w) LR faces, {@code hr} their HR faces, {@code heatmaps} the GT heatmaps
     * @param lastStepTerms extra weighted terms on the last step's SR (DICGAN's), by log name
     * @return the terms summed over the steps (detached), their total, and the last step's SR as the fake
     */
    public static TrainingTask.Losses run(DicNet net, NDManager m, NDArray lr, NDArray hr, NDArray heatmaps,
            DicLoss loss, DicTask.LastStepTerms lastStepTerms, GradientCollector gc) {
        ForwardPass checkpoint = ForwardPass.of(m, ForwardMode.CHECKPOINT);
        ForwardPass ps = ForwardPass.of(m, ForwardMode.RECORDED);
        int steps = net.config().numSteps();
        DicNet.Prepared prepared = checkpoint.run(() -> net.prepare(checkpoint, lr, true));
        List<RecurrentState> inputs = new ArrayList<>();
        inputs.add(null);
        checkpoint.run(() -> {
            for (int s = 0; s < steps - 1; s++) {
                inputs.add(net.step(checkpoint, prepared, inputs.get(s), true).next());
            }
            return null;
        });
        Map<String, NDArray> logged = new LinkedHashMap<>();
        NDArray featureGrad = null;
        List<NDArray> nextGrad = null;
        NDArray fake = null;
        for (int s = steps - 1; s >= 0; s--) {
            try (NDScope scope = new NDScope()) {
                NDArray features = leaf(prepared.features());
                RecurrentState in = inputs.get(s) == null ? null
                        : RecurrentState.of(inputs.get(s).arrays().stream().map(StepwiseBackward::leaf).toList());
                DicNet.Step out = net.step(ps, new DicNet.Prepared(features, prepared.interRes()), in, true);
                Map<String, NDArray> terms = loss.terms(List.of(out.sr()), hr, List.of(out.heatmaps()),
                        heatmaps);
                if (s == steps - 1) {
                    terms.putAll(lastStepTerms.of(out.sr(), hr));
                    fake = keep(out.sr().stopGradient().duplicate());
                }
                NDArray surrogate = TrainingTask.Losses.sum(terms).total();
                if (nextGrad != null) {
                    List<NDArray> next = out.next().arrays();
                    for (int k = 0; k < next.size(); k++) {
                        surrogate = surrogate.add(next.get(k).mul(nextGrad.get(k)).sum());
                    }
                }
                gc.backward(surrogate);
                terms.forEach((k, v) -> logged.merge(k, keep(v.stopGradient().duplicate()), StepwiseBackward::add));
                NDArray g = keep(features.getGradient().duplicate());
                featureGrad = featureGrad == null ? g : add(featureGrad, g);
                nextGrad = in == null ? null : in.arrays().stream().map(a -> keep(a.getGradient().duplicate())).toList();
                scope.suppressNotUsedWarning();
            }
        }
        // the first conv (and its pixel shuffle) reads the LR once; every step's gradient reaches it here
        gc.backward(net.prepare(ps, lr, true).features().mul(featureGrad).sum());
        return TrainingTask.Losses.sum(logged).forAdversary(hr, fake);
    }

    /** A copy of the graph-free array that the step's graph starts from and that receives its gradient. */
    private static NDArray leaf(NDArray a) {
        NDArray leaf = a.stopGradient();
        leaf.setRequiresGradient(true);
        return leaf;
    }

    /** Keeps an array beyond the step's scope (the caller's manager frees it). */
    private static NDArray keep(NDArray a) {
        NDScope.unregister(a);
        return a;
    }

    private static NDArray add(NDArray a, NDArray b) {
        NDArray sum = keep(a.add(b));
        a.close();
        b.close();
        return sum;
    }
}
