package dev.multimax.model;

import dev.multimax.device.FloatArray;
import dev.multimax.device.IntArray;
import dev.multimax.device.Op;
import dev.multimax.device.Slice;
import dev.multimax.graph.DataTransferMode;
import dev.multimax.graph.ImmutableTaskGraph;
import dev.multimax.graph.TaskGraph;
import dev.multimax.nn.ActivationSite;
import dev.multimax.nn.BackwardScratch;
import dev.multimax.nn.BlockBuffers;
import dev.multimax.nn.LayerNorm;
import dev.multimax.nn.Linear;
import dev.multimax.nn.TransformerBlock;
import java.util.ArrayList;
import java.util.List;

/**
 * The task graphs of a model at one batch size: the training step (forward, loss, backward, AdamW)
 * and the evaluation pass (forward, loss). Both share the batch buffers and the activations, so a
 * plan holding both keeps one copy of each on the device.
 * <pre>
 *   images ─ patchify ─ patch_embed ─ +pos ─ blocks 0..L-1 ─ norm ─ mean-pool ─ head ─ σ_out ─ logits ─ cross-entropy
 * </pre>
 * (σ_out: MultiMax's modulation, or nothing for softmax; a sparsemax, entmax-1.5 or evsoftmax head
 * instead outputs probabilities, and the loss is −log(max(p[label], 1e-12)), {@code loss.nll_probs}.)
 * Per step only images, labels, valid (1) and schedule (lr, t) go in; metrics (Σ loss, #correct) and the
 * non-finite check's status (flag, first bad tensor) come out. AdamW skips the update when the flag is set.
 */
public final class VitStep {
    private final VitModel model;
    private final VitConfig c;
    private final int batch;
    private final int tokens;
    private final boolean fused;

    private final FloatArray images;
    private final IntArray labels;
    private final FloatArray valid = new FloatArray("valid", 1);
    private final FloatArray schedule = new FloatArray("schedule", 2);
    private final FloatArray metrics = new FloatArray("metrics", 2);
    private final FloatArray status = new FloatArray("status", 2);
    private final FloatArray patches;
    private final List<BlockBuffers> blocks = new ArrayList<>();
    private final FloatArray normOut;
    private final FloatArray normMean;
    private final FloatArray normRstd;
    private final FloatArray pooled;
    private final FloatArray headOut;
    private final FloatArray logits;
    private final FloatArray dLogits;
    private FloatArray grads;
    private FloatArray moment1;
    private FloatArray moment2;

    /** The step with the fused ops (the default). */
    public VitStep(VitModel model, int batch) {
        this(model, batch, true);
    }

    /**
     * {@code fused}: attention as one task each way where the activation allows (MultiMax, softmax);
     * false keeps the unfused ops (scores, row activation, context), for profiling comparisons and checks.
     */
    public VitStep(VitModel model, int batch, boolean fused) {
        if (batch < 1) throw new IllegalArgumentException("batch must be >= 1");
        this.model = model;
        this.fused = fused;
        this.c = model.config();
        this.batch = batch;
        this.tokens = c.numPatches();
        int m = batch * tokens;
        int d = c.embedDim();
        images = new FloatArray("images", batch * c.inChans() * c.imgSize() * c.imgSize());
        labels = new IntArray("labels", batch);
        patches = new FloatArray("patches", m * c.patchValues());
        FloatArray in = new FloatArray("embed", m * d);
        for (int i = 0; i < c.depth(); i++) {
            BlockBuffers b = BlockBuffers.create("blocks." + i, in, batch, tokens, d, c.numHeads(), c.mlpHidden());
            blocks.add(b);
            in = b.out();
        }
        normOut = new FloatArray("norm", m * d);
        normMean = new FloatArray("norm.mean", m);
        normRstd = new FloatArray("norm.rstd", m);
        pooled = new FloatArray("pooled", batch * d);
        headOut = new FloatArray("head", batch * c.numClasses());
        boolean separate = c.headAct().hasParameters() || c.headAct().outputsProbabilities();
        logits = separate ? new FloatArray("logits", batch * c.numClasses()) : headOut;
        dLogits = new FloatArray("grad.logits", batch * c.numClasses());
    }

    public int batch() {
        return batch;
    }

    public VitModel model() {
        return model;
    }

    /** Input pixels (B, C, H, W), normalised; filled by the host before each execution. */
    public FloatArray images() {
        return images;
    }

    public IntArray labels() {
        return labels;
    }

    /** [rows of this batch that are real]; the rest are padding and do not count. */
    public FloatArray valid() {
        return valid;
    }

    /** [learning rate, AdamW step t ≥ 1]. */
    public FloatArray schedule() {
        return schedule;
    }

    /** [Σ loss over valid rows, #correct]. */
    public FloatArray metrics() {
        return metrics;
    }

    /**
     * The step's non-finite check, back on the host after every step: [flag, first], flag 1 when the
     * loss or a gradient is NaN/±Inf (AdamW then skipped the update); first = 0 for the loss, k + 1
     * for {@link #checkedTensors()}{@code .get(k)}, −1 when all is finite (see {@link Op#NONFINITE_CHECK}).
     */
    public FloatArray status() {
        return status;
    }

    /** The parameter names whose gradients the check covers, in its order (layout offset order). */
    public List<String> checkedTensors() {
        return byOffset().stream().map(ParamLayout.Param::name).toList();
    }

    private List<ParamLayout.Param> byOffset() {
        List<ParamLayout.Param> ps = new ArrayList<>(model.layout().params());
        ps.sort(java.util.Comparator.comparingInt(ParamLayout.Param::offset));
        return ps;
    }

    /**
     * Each block's activations; {@code s()} and {@code p()} are the attention scores and probabilities
     * (B, H, N, N). Read them after an execution with {@code ExecutionResult.transferToHost} ({@code analyze}, {@code study}).
     */
    public List<BlockBuffers> blocks() {
        return List.copyOf(blocks);
    }

    /**
     * Model outputs (B, K) after the head's activation: logits for softmax, σ(logits) for MultiMax,
     * probabilities for sparsemax, entmax-1.5 and evsoftmax. Argmax is the prediction in every case.
     */
    public FloatArray logits() {
        return logits;
    }


    /** The classifier's outputs (B, K) before the head's modulation σ_out (the same array as {@link #logits} without one). */
    public FloatArray headOutput() {
        return headOut;
    }

    /** Parameter gradients (same layout as the parameters); present once a training graph is built. */
    public FloatArray grads() {
        return grads;
    }

    public FloatArray moment1() {
        return moment1;
    }

    public FloatArray moment2() {
        return moment2;
    }

    /** Forward, loss, backward, the non-finite check and AdamW as one graph named {@code step}. */
    public ImmutableTaskGraph trainGraph(OptimizerConfig opt) {
        return trainGraph(opt, g -> { });
    }

    /**
     * The training graph with {@code beforeCheck}'s tasks (and transfers) added after the backward
     * pass, before the non-finite check and AdamW: where a test injects a NaN into a gradient.
     */
    public ImmutableTaskGraph trainGraph(OptimizerConfig opt, java.util.function.Consumer<TaskGraph> beforeCheck) {
        ParamLayout layout = model.layout();
        grads = new FloatArray("grads", layout.total());
        moment1 = new FloatArray("adamw.m", layout.total());
        moment2 = new FloatArray("adamw.v", layout.total());
        FloatArray params = model.params();
        List<ParamLayout.Param> tensors = byOffset();
        IntArray ranges = new IntArray("check.ranges", tensors.size() + 1);
        for (int k = 0; k < tensors.size(); k++) ranges.host()[k] = tensors.get(k).offset();
        ranges.host()[tensors.size()] = layout.total();
        TaskGraph g = new TaskGraph("step")
                .transferToDevice(DataTransferMode.FIRST_EXECUTION, params, moment1, moment2, ranges)
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, images, labels, valid, schedule);
        Layers l = layers(grads);
        forward(g, l);
        backward(g, l);
        beforeCheck.accept(g);
        g.task("check.nonfinite_check", Op.NONFINITE_CHECK, List.of(status.all(), metrics.slice(0, 1), grads.all(),
                ranges.all()), new int[] {tensors.size(), layout.total()});
        g.task("adamw", Op.ADAMW, List.of(params.all(), grads.all(), moment1.all(), moment2.all(), schedule.all(),
                status.all()), new int[] {layout.total(), layout.decayed()}, opt.beta1(), opt.beta2(), opt.eps(),
                opt.weightDecay());
        g.transferToHost(DataTransferMode.EVERY_EXECUTION, metrics, status)
                .transferToHost(DataTransferMode.UNDER_DEMAND, params, grads, moment1, moment2, logits);
        return g.snapshot();
    }

    /**
     * Forward and loss as one graph named {@code eval}. With {@code uploadParams} the parameters are
     * copied in on the first execution; without, they are taken from the device (left there by the
     * training graph of the same plan).
     */
    public ImmutableTaskGraph evalGraph(boolean uploadParams) {
        TaskGraph g = new TaskGraph("eval");
        if (uploadParams) g.transferToDevice(DataTransferMode.FIRST_EXECUTION, model.params());
        g.transferToDevice(DataTransferMode.EVERY_EXECUTION, images, labels, valid);
        forward(g, layers(null));
        g.transferToHost(DataTransferMode.EVERY_EXECUTION, metrics)
                .transferToHost(DataTransferMode.UNDER_DEMAND, logits);
        return g.snapshot();
    }

    /** The model's layers bound to parameter slices (and gradient slices when {@code grads} is given). */
    private record Layers(Linear patchEmbed, Slice pos, Slice dPos, List<TransformerBlock> blocks, LayerNorm norm,
                          Linear head, ActivationSite headAct) {
    }

    private Layers layers(FloatArray gr) {
        ParamLayout lay = model.layout();
        FloatArray p = model.params();
        int d = c.embedDim();
        Linear patch = linear("patch_embed.proj", p, gr, c.patchValues(), d, true);
        List<TransformerBlock> bs = new ArrayList<>();
        for (int i = 0; i < c.depth(); i++) {
            String b = "blocks." + i;
            ActivationSite act = new ActivationSite(b + ".attn", c.attnAct(),
                    c.attnAct().hasParameters() ? lay.multimaxParams(p, b + ".attn.") : null,
                    c.attnAct().hasParameters() && gr != null ? lay.multimaxParams(gr, b + ".attn.") : null,
                    c.attnTemperature());
            bs.add(new TransformerBlock(b, norm(b + ".norm1", p, gr), linear(b + ".attn.qkv", p, gr, d, 3 * d, c.qkvBias()),
                    act, linear(b + ".attn.proj", p, gr, d, d, true), norm(b + ".norm2", p, gr),
                    linear(b + ".mlp.fc1", p, gr, d, c.mlpHidden(), true),
                    linear(b + ".mlp.fc2", p, gr, c.mlpHidden(), d, true), batch, tokens, c.numHeads(), fused));
        }
        ActivationSite headAct = new ActivationSite("head", c.headAct(),
                c.headAct().hasParameters() ? lay.multimaxParams(p, "") : null,
                c.headAct().hasParameters() && gr != null ? lay.multimaxParams(gr, "") : null);
        return new Layers(patch, lay.slice(p, "pos_embed"), gr == null ? null : lay.slice(gr, "pos_embed"), bs,
                norm("norm", p, gr), linear("head", p, gr, d, c.numClasses(), true), headAct);
    }

    private Linear linear(String path, FloatArray p, FloatArray gr, int in, int out, boolean bias) {
        ParamLayout lay = model.layout();
        return new Linear(path, lay.slice(p, path + ".weight"), bias ? lay.slice(p, path + ".bias") : null,
                gr == null ? null : lay.slice(gr, path + ".weight"),
                gr == null || !bias ? null : lay.slice(gr, path + ".bias"), in, out);
    }

    private LayerNorm norm(String path, FloatArray p, FloatArray gr) {
        ParamLayout lay = model.layout();
        return new LayerNorm(path, lay.slice(p, path + ".weight"), lay.slice(p, path + ".bias"),
                gr == null ? null : lay.slice(gr, path + ".weight"), gr == null ? null : lay.slice(gr, path + ".bias"),
                c.embedDim(), (float) c.layerNormEps());
    }

    private void forward(TaskGraph g, Layers l) {
        int m = batch * tokens;
        int d = c.embedDim();
        FloatArray embed = blocks.get(0).in();
        g.task("patch_embed.patchify", Op.PATCHIFY, List.of(patches.all(), images.all()),
                new int[] {batch, c.inChans(), c.imgSize(), c.imgSize(), c.patchSize()});
        l.patchEmbed().forward(g, embed.all(), patches.all(), m, fused);
        g.task("pos_embed.pos_embed_fwd", Op.POS_EMBED_FWD, List.of(embed.all(), l.pos()), new int[] {batch, tokens, d});
        // fused: each block's last residual add also computes the next LayerNorm (the next block's norm1, or the final norm)
        for (int i = 0; i < c.depth(); i++) {
            LayerNorm.Target next = null;
            if (fused) {
                next = i + 1 < c.depth()
                        ? new LayerNorm.Target(l.blocks().get(i + 1).norm1(), blocks.get(i + 1).h1().all(),
                                blocks.get(i + 1).mean1().all(), blocks.get(i + 1).rstd1().all())
                        : new LayerNorm.Target(l.norm(), normOut.all(), normMean.all(), normRstd.all());
            }
            l.blocks().get(i).forward(g, blocks.get(i), fused && i > 0, next);
        }
        if (!fused) {
            l.norm().forward(g, normOut.all(), normMean.all(), normRstd.all(), blocks.get(c.depth() - 1).out().all(), m);
        }
        g.task("pool.mean_pool_fwd", Op.MEAN_POOL_FWD, List.of(pooled.all(), normOut.all()), new int[] {batch, tokens, d});
        l.head().forward(g, headOut.all(), pooled.all(), batch, fused);
        l.headAct().forwardOutput(g, logits.all(), headOut.all(), batch, c.numClasses());
        if (c.headAct().outputsProbabilities()) {
            g.task("loss.nll_probs", Op.NLL_PROBS,
                    List.of(dLogits.all(), metrics.all(), logits.all(), labels.all(), valid.all()),
                    new int[] {batch, c.numClasses()});
        } else {
            g.task("loss.cross_entropy", Op.CROSS_ENTROPY,
                    List.of(dLogits.all(), metrics.all(), logits.all(), labels.all(), valid.all()),
                    new int[] {batch, c.numClasses()});
        }
    }

    private void backward(TaskGraph g, Layers l) {
        int m = batch * tokens;
        int d = c.embedDim();
        BackwardScratch s = BackwardScratch.create(batch, tokens, d, c.numHeads(), c.mlpHidden());
        FloatArray dHead = dLogits;
        if (c.headAct().hasParameters() || c.headAct().outputsProbabilities()) {
            dHead = new FloatArray("grad.head", batch * c.numClasses());
            l.headAct().backwardOutput(g, dHead.all(), dLogits.all(), logits.all(), headOut.all(), batch, c.numClasses());
        }
        FloatArray dPooled = new FloatArray("grad.pooled", batch * d);
        l.head().backward(g, dPooled.all(), dHead.all(), pooled.all(), batch);
        g.task("pool.mean_pool_bwd", Op.MEAN_POOL_BWD, List.of(s.dH().all(), dPooled.all()), new int[] {batch, tokens, d});
        FloatArray last = blocks.get(c.depth() - 1).out();
        l.norm().backward(g, s.dRes().all(), s.dH().all(), last.all(), normMean.all(), normRstd.all(), m);
        for (int i = c.depth() - 1; i >= 0; i--) l.blocks().get(i).backward(g, blocks.get(i), s);
        g.task("pos_embed.pos_embed_bwd", Op.POS_EMBED_BWD, List.of(l.dPos(), s.dRes().all()), new int[] {batch, tokens, d});
        l.patchEmbed().backward(g, null, s.dRes().all(), patches.all(), m);
    }
}
