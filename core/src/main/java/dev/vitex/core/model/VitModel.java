package dev.vitex.core.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A TorchScript ViT loaded through DJL, with batched no-grad scores and per-sample input gradients.
 *
 * <p>Safe for concurrent task threads: the block is only read, and libtorch's grad mode is
 * thread-local. The four traps of djl-spark-notes.md are handled here and nowhere else:
 * parameters are loaded trainable then frozen (no inference tensors), every forward runs with
 * {@code training=true} (the Predictor path runs in InferenceMode and cannot backprop), gradients
 * use {@link JniUtils#backward} instead of the JVM-wide {@code PtGradientCollector}, and no-grad
 * forwards switch grad mode off rather than entering InferenceMode. A low {@link Precision} loads
 * the card's variant file for it; inputs, scores and gradients stay float32 at this boundary.
 */
public final class VitModel implements AutoCloseable {
    private final ModelCard card;
    private final Model model;
    private final Block block;
    private final Device device;
    private final BatchGate gate;
    private final Precision precision;

    private VitModel(ModelCard card, Model model, Device device, BatchGate gate, Precision precision) {
        this.card = card;
        this.model = model;
        this.block = model.getBlock();
        this.device = device;
        this.gate = gate;
        this.precision = precision;
    }

    /** Loads the card's TorchScript file on {@code device}; libtorch must already be available offline. */
    public static VitModel load(ModelCard card, Device device) {
        return load(card, device, BatchGate.UNLIMITED);
    }

    /** As {@link #load(ModelCard, Device)}, every forward and forward + backward batch passing through {@code gate}. */
    public static VitModel load(ModelCard card, Device device, BatchGate gate) {
        return load(card, device, gate, Precision.FP32);
    }

    /**
     * As {@link #load(ModelCard, Device, BatchGate)} at {@code precision}: the card's file for it
     * ({@link ModelCard#fileFor}), which takes and returns float32. fp16 is refused on a CPU device
     * (libtorch's CPU fp16 kernels are slow or missing; bf16 is the CPU's low precision).
     */
    public static VitModel load(ModelCard card, Device device, BatchGate gate, Precision precision) {
        if (precision == Precision.FP16 && !device.isGpu()) {
            throw new ModelCardException(Precision.FP16_NEEDS_GPU);
        }
        Path file = card.fileFor(precision);
        Engine.getEngine("PyTorch"); // must precede any JniUtils call
        Model model = Model.newInstance(card.name(), device, "PyTorch");
        try {
            model.load(file.getParent(), file.getFileName().toString(), Map.of("trainParam", "true", "mapLocation", "true"));
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new ModelCardException("cannot load TorchScript model " + file + " (card field '"
                    + (precision == Precision.FP32 ? "file" : "precisions." + precision.configName()) + "'): "
                    + e.getMessage(), e);
        }
        model.getBlock().freezeParameters(true);
        return new VitModel(card, model, device, gate, precision);
    }

    public static VitModel load(ModelCard card) {
        return load(card, Device.cpu());
    }

    public ModelCard card() {
        return card;
    }

    public Device device() {
        return device;
    }

    public BatchGate gate() {
        return gate;
    }

    /** The precision the model runs in; its inputs and outputs are float32 all the same. */
    public Precision precision() {
        return precision;
    }

    /** Opens a scope for one batch of work; close it with try-with-resources. */
    public NDManager newScope() {
        return model.getNDManager().newSubManager(device);
    }

    /** No-grad scores of every class after {@code mode}, shape (N, classes), in {@code input}'s manager. */
    public NDArray scores(NDArray input, InferenceMode mode) {
        return batch(false, () -> mode.apply(logits(input)));
    }

    /** No-grad scores of one target per sample, shape (N). */
    public NDArray targetScores(NDArray input, int[] targets, InferenceMode mode) {
        NDArray all = scores(input, mode);
        return select(all, targets);
    }

    /**
     * Scores of one target per sample and their gradients with respect to the input. Samples are
     * independent, so one backward pass of the sum gives every sample's own gradient.
     */
    public TargetScores targetScoresWithGradients(NDArray input, int[] targets, InferenceMode mode) {
        return targetScoresWithGradients(input, TargetPicker.fixed(targets), mode);
    }

    /**
     * As {@link #targetScoresWithGradients(NDArray, int[], InferenceMode)}, the targets picked by
     * {@code picker} from every class's scores of this forward, before the backward: one pass both
     * selects the targets and explains them.
     */
    public TargetScores targetScoresWithGradients(NDArray input, TargetPicker picker, InferenceMode mode) {
        return batch(true, () -> {
            NDArray x = input.stopGradient();
            x.setRequiresGradient(true);
            NDArray selected = backwardOfSum(selectPicked(mode.apply(logits(x)), picker));
            return new TargetScores(selected.stopGradient(), float32(x.getGradient()));
        });
    }

    /**
     * Scores after {@code mode} — of every class (N, classes), or of one target per sample (N) when
     * {@code targets} is given — and attention maps (layers, N, heads, T, T) of a model whose card has
     * {@code attention}: the probabilities, or with gradients their gate gradients (∂S/∂A) ⊙ A.
     */
    public record AttentionOutput(NDArray scores, NDArray maps) {}

    /** No-grad scores of every class after {@code mode} and every layer's attention probabilities. */
    public AttentionOutput attention(NDArray input, InferenceMode mode) {
        return batch(false, () -> {
            NDList out = attentionForward(input, gates(input));
            return new AttentionOutput(mode.apply(checkLogits(out.get(0), input)), out.get(1));
        });
    }

    /**
     * Scores of one target per sample and the gradients of their sum with respect to the all-ones
     * attention gates, (∂S/∂A) ⊙ A per layer, sample and head (samples are independent).
     */
    public AttentionOutput attentionGradients(NDArray input, int[] targets, InferenceMode mode) {
        return attentionGradients(input, TargetPicker.fixed(targets), mode);
    }

    /** As {@link #attentionGradients(NDArray, int[], InferenceMode)}, the targets picked from this forward's scores. */
    public AttentionOutput attentionGradients(NDArray input, TargetPicker picker, InferenceMode mode) {
        return batch(true, () -> {
            NDArray gates = gates(input);
            gates.setRequiresGradient(true);
            NDList out = attentionForward(input.stopGradient(), gates);
            NDArray selected = backwardOfSum(selectPicked(mode.apply(checkLogits(out.get(0), input)), picker));
            return new AttentionOutput(selected.stopGradient(), float32(gates.getGradient()));
        });
    }

    /** One model batch: through the device's gate, with grad mode on or off, restored afterwards. */
    private <T> T batch(boolean gradients, Supplier<T> body) {
        return gate.run(() -> {
            boolean previous = JniUtils.isGradMode();
            JniUtils.setGradMode(gradients);
            try {
                return body.get();
            } finally {
                JniUtils.setGradMode(previous);
            }
        });
    }

    /** A copy of a gradient in float32 (a variant that took float32 inputs gives float32 gradients already). */
    private static NDArray float32(NDArray gradient) {
        return gradient.getDataType() == DataType.FLOAT32 ? gradient.duplicate() : gradient.toType(DataType.FLOAT32, true);
    }

    /** Backpropagates the sum of {@code selected} (samples are independent: each gets its own gradient). */
    private static NDArray backwardOfSum(NDArray selected) {
        NDArray total = selected.sum();
        JniUtils.backward((PtNDArray) total, (PtNDArray) total.onesLike(), false, false);
        return selected;
    }

    private NDArray gates(NDArray input) {
        AttentionSpec spec = attentionSpec();
        int t = spec.tokens(card.patchCount());
        return input.getManager().ones(new Shape(spec.layers(), input.getShape().get(0), spec.heads(), t, t));
    }

    private AttentionSpec attentionSpec() {
        if (card.attention() == null) {
            throw new IllegalStateException("model " + card.name() + " has no 'attention' field in its card");
        }
        return card.attention();
    }

    /** Calls the card's attention method; DJL picks a module method by an input named "module_method:NAME". */
    private NDList attentionForward(NDArray input, NDArray gates) {
        checkInput(input);
        AttentionSpec spec = attentionSpec();
        NDArray method = input.getManager().zeros(new Shape(1));
        method.setName("module_method:" + spec.method());
        NDList out;
        try {
            out = block.forward(new ParameterStore(input.getManager(), false), new NDList(input, gates, method), true);
        } catch (EngineException e) {
            throw new IllegalStateException("model " + card.name() + ": its attention method " + spec.method()
                    + "(x, gates) failed for gates of shape " + gates.getShape() + " (from the card's attention field: "
                    + spec + "): " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        if (out.size() != 2 || !out.get(1).getShape().equals(gates.getShape())) {
            throw new IllegalStateException("model " + card.name() + ": attention method " + spec.method() + " returned "
                    + out.size() + " values" + (out.size() > 1 ? " with maps of shape " + out.get(1).getShape() : "")
                    + "; the card's attention field implies (logits, maps of shape " + gates.getShape() + ")");
        }
        return out;
    }

    private NDArray logits(NDArray input) {
        checkInput(input);
        NDList out = block.forward(new ParameterStore(input.getManager(), false), new NDList(input), true);
        return checkLogits(pickOutput(out), input);
    }

    private NDArray checkLogits(NDArray logits, NDArray input) {
        if (logits.getShape().dimension() != 2 || logits.getShape().get(0) != input.getShape().get(0)) {
            throw new IllegalStateException("model " + card.name() + " returned shape " + logits.getShape()
                    + "; expected (batch, classes) — check the card's 'output' field");
        }
        if (logits.getShape().get(1) != card.numClasses()) {
            throw new IllegalStateException("model " + card.name() + " returns " + logits.getShape().get(1)
                    + " classes but its card lists " + card.numClasses() + " labels");
        }
        return logits.getDataType() == DataType.FLOAT32 ? logits : logits.toType(DataType.FLOAT32, false);
    }

    private NDArray pickOutput(NDList out) {
        String spec = card.output();
        if (spec.equals("tensor")) {
            return out.get(0);
        }
        if (spec.startsWith("tuple:")) {
            int index = Integer.parseInt(spec.substring("tuple:".length()));
            if (index >= out.size()) {
                throw new IllegalStateException("card output " + spec + " but the model returned " + out.size() + " values");
            }
            return out.get(index);
        }
        String key = spec.substring("dict:".length());
        NDArray named = out.get(key);
        if (named == null) {
            throw new IllegalStateException("card output " + spec + " but the model returned no output named \"" + key + "\" (" + out.size() + " outputs)");
        }
        return named;
    }

    private void checkInput(NDArray input) {
        long[] s = input.getShape().getShape();
        if (s.length != 4 || s[1] != card.channels() || s[2] != card.inputHeight() || s[3] != card.inputWidth()) {
            throw new IllegalArgumentException("model input must be (N, " + card.channels() + ", " + card.inputHeight()
                    + ", " + card.inputWidth() + "), got " + input.getShape());
        }
    }

    /** The scores of the targets {@code picker} picks from {@code scores} (a detached view: the picker cannot touch the graph). */
    private static NDArray selectPicked(NDArray scores, TargetPicker picker) {
        return select(scores, picker.pick(scores.stopGradient()));
    }

    /** Picks scores[i, targets[i]] for each row; differentiable (gather, so -inf elsewhere cannot poison it). */
    private static NDArray select(NDArray scores, int[] targets) {
        if (targets.length != scores.getShape().get(0)) {
            throw new IllegalArgumentException(targets.length + " targets for " + scores.getShape().get(0) + " samples");
        }
        int classes = (int) scores.getShape().get(1);
        long[] index = new long[targets.length];
        for (int i = 0; i < targets.length; i++) {
            if (targets[i] < 0 || targets[i] >= classes) {
                throw new IllegalArgumentException("target class " + targets[i] + " is outside 0.." + (classes - 1));
            }
            index[i] = targets[i];
        }
        NDArray idx = EngineArrays.longs(scores.getManager(), index, new Shape(targets.length, 1));
        return scores.gather(idx, 1).reshape(targets.length);
    }

    @Override
    public void close() {
        model.close();
    }
}
