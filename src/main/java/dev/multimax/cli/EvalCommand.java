package dev.multimax.cli;

import com.google.gson.JsonObject;
import dev.multimax.data.Dataset;
import dev.multimax.data.MnistFiles;
import dev.multimax.data.TrainTest;
import dev.multimax.graph.ExecutionPlan;
import dev.multimax.model.VitConfig;
import dev.multimax.model.VitStep;
import dev.multimax.train.Checkpoint;
import dev.multimax.train.Evaluator;
import dev.multimax.util.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code multimax eval}: accuracy and loss of a checkpoint; optionally dumps model outputs. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluate a checkpoint on the test set; optionally write the model outputs of the first N images.")
final class EvalCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, paramLabel = "FILE", description = "A model.safetensors written by train.")
    Path checkpoint;

    @Option(names = "--data", defaultValue = "mnist", paramLabel = "mnist|DIR", description = "Test data (default: ${DEFAULT-VALUE}).")
    String data;

    @Mixin
    DeviceOption device;

    @Option(names = "--batch", defaultValue = "128", description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--limit-test", defaultValue = "0", paramLabel = "N", description = "Use only the first N test images (0: all).")
    int limitTest;

    @Option(names = "--json", description = "Print the result as one JSON object.")
    boolean json;

    @Option(names = "--dump-logits", paramLabel = "FILE",
            description = "Write the model outputs (after the head's activation: logits, σ(logits) or probabilities) of the first N test images, raw little-endian float32 [N, classes].")
    Path dumpLogits;

    @Option(names = "--dump-inputs", paramLabel = "FILE",
            description = "Write the normalised input images of those N images, raw little-endian float32 [N, C, H, W].")
    Path dumpInputs;

    @Option(names = "--n", defaultValue = "100", description = "How many images --dump-logits/--dump-inputs write (default: ${DEFAULT-VALUE}).")
    int n;

    @Override
    public Integer call() {
        OptionChecks.eval(this);
        if (limitTest < 0) throw new UserError("--limit-test must be >= 0");
        Checkpoint.Loaded loaded = Checkpoint.load(checkpoint);
        Path home = Home.get();
        if (data.equals(MnistFiles.MNIST)) MnistInstaller.ensure(home);
        TrainTest tt = MnistFiles.load(data, home, 1, limitTest);
        Dataset test = tt.test();
        VitConfig c = loaded.model().config();
        if (test.rows() != c.imgSize() || test.channels() != c.inChans() || test.numClasses() > c.numClasses()) {
            throw new UserError(checkpoint + ": model expects " + c.inChans() + "x" + c.imgSize() + "x" + c.imgSize()
                    + " images and " + c.numClasses() + " classes; the data has " + test.channels() + "x" + test.rows()
                    + "x" + test.cols() + " and " + test.numClasses());
        }
        if ((dumpLogits != null || dumpInputs != null) && (n < 1 || n > test.n())) {
            throw new UserError("--n must be in [1, " + test.n() + "]");
        }
        VitStep step = new VitStep(loaded.model(), batch);
        int dumpRows = dumpLogits != null || dumpInputs != null ? n : 0;
        ByteArrayOutputStream logits = new ByteArrayOutputStream();
        ByteArrayOutputStream inputs = new ByteArrayOutputStream();
        int[] seen = {0};
        Evaluator.Result r;
        try (var dev = device.open().device();
             ExecutionPlan plan = new ExecutionPlan(step.evalGraph(true)).withDevice(dev)) {
            r = Evaluator.evaluate(plan, 0, step, test, loaded.normalization(), dumpRows == 0 ? null : (out, rows) -> {
                int take = Math.min(rows, dumpRows - seen[0]);
                if (take <= 0) return;
                append(logits, out, take * c.numClasses());
                append(inputs, step.images().host(), take * test.imageSize());
                seen[0] += take;
            });
        }
        if (dumpLogits != null) AtomicFiles.write(dumpLogits, logits.toByteArray());
        if (dumpInputs != null) AtomicFiles.write(dumpInputs, inputs.toByteArray());
        if (json) {
            JsonObject o = new JsonObject();
            o.addProperty("checkpoint", checkpoint.toString());
            o.addProperty("images", r.count());
            o.addProperty("accuracy", r.accuracy());
            o.addProperty("loss", r.loss());
            System.out.println(o);
        } else {
            System.out.printf("test accuracy %.2f%% (%d images), loss %.4f%n", 100 * r.accuracy(), r.count(), r.loss());
        }
        return 0;
    }

    private static void append(ByteArrayOutputStream out, float[] values, int count) {
        ByteBuffer buf = ByteBuffer.allocate(count * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) buf.putFloat(values[i]);
        out.writeBytes(buf.array());
    }
}
