package dev.multimax.cli;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import dev.multimax.train.TrainingListener;
import java.io.IOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows training progress: on a terminal a bar per epoch (steps, loss, images/s, ETA); in a log
 * (no console) a plain line every tenth of an epoch. Then one line per epoch, and the JSONL log.
 */
final class TrainingReport implements TrainingListener, AutoCloseable {
    private final Writer log;
    private final Path logPath;
    private final Gson gson = new Gson();
    private final boolean interactive = System.console() != null;
    private ProgressBar bar;
    private long epochStart;
    private int stepsPerEpoch;
    private int epochs;

    TrainingReport(Path jsonl) {
        this.logPath = jsonl;
        try {
            if (jsonl != null && jsonl.toAbsolutePath().getParent() != null) {
                Files.createDirectories(jsonl.toAbsolutePath().getParent());
            }
            this.log = jsonl == null ? null : Files.newBufferedWriter(jsonl, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UserError("cannot open log file " + jsonl + ": " + e.getMessage());
        }
    }

    @Override
    public void onStart(int totalSteps, int perEpoch) {
        this.stepsPerEpoch = perEpoch;
        this.epochs = totalSteps / perEpoch;
    }

    @Override
    public void onEpochStart(int epoch) {
        epochStart = System.nanoTime();
        if (!interactive) return;
        bar = new ProgressBarBuilder().setTaskName("epoch " + epoch + "/" + epochs).setInitialMax(stepsPerEpoch)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(1000).setMaxRenderedLength(110)
                .continuousUpdate().build();
    }

    @Override
    public void onStep(int epoch, int step, double loss, double imagesPerSecond) {
        if (bar != null) {
            bar.step();
            bar.setExtraMessage(String.format(" loss %.4f  %.0f img/s", loss, imagesPerSecond));
            return;
        }
        int inEpoch = (step - 1) % stepsPerEpoch + 1;
        int tenth = Math.max(1, stepsPerEpoch / 10);
        if (inEpoch % tenth == 0 || inEpoch == stepsPerEpoch) {
            double secs = (System.nanoTime() - epochStart) / 1e9;
            double eta = secs / inEpoch * (stepsPerEpoch - inEpoch);
            System.out.printf("epoch %d/%d step %d/%d  loss %.4f  %.0f img/s  %.0f s, ETA %.0f s%n", epoch, epochs,
                    inEpoch, stepsPerEpoch, loss, imagesPerSecond, secs, eta);
        }
    }

    @Override
    public void onEpoch(EpochStats s) {
        if (bar != null) bar.close();
        bar = null;
        String val = s.valAccuracy() == null ? ""
                : String.format(", val loss %.4f, val acc %.2f%%", s.valLoss(), 100 * s.valAccuracy());
        System.out.printf("epoch %d: train loss %.4f, train acc %.2f%%%s, test loss %.4f, test acc %.2f%%, %.0f img/s, %.0f s elapsed%s%n",
                s.epoch(), s.trainLoss(), 100 * s.trainAccuracy(), val, s.testLoss(), 100 * s.testAccuracy(),
                s.imagesPerSecond(), s.elapsedSeconds(),
                s.skipped() == 0 ? "" : ", " + s.skipped() + " batch" + (s.skipped() == 1 ? "" : "es") + " skipped (non-finite)");
        JsonObject o = new JsonObject();
        o.addProperty("event", "epoch");
        o.addProperty("epoch", s.epoch());
        o.addProperty("train_loss", s.trainLoss());
        if (s.valAccuracy() != null) {
            o.addProperty("val_acc", s.valAccuracy());
            o.addProperty("val_loss", s.valLoss());
        }
        o.addProperty("test_acc", s.testAccuracy());
        o.addProperty("test_loss", s.testLoss());
        o.addProperty("images_per_s", s.imagesPerSecond());
        o.addProperty("elapsed_s", s.elapsedSeconds());
        o.addProperty("skipped", s.skipped());
        write(o);
    }

    void done(double testAccuracy, Path checkpoint) {
        System.out.printf("done: test accuracy %.2f%%, checkpoint %s%n", 100 * testAccuracy, checkpoint);
        JsonObject o = new JsonObject();
        o.addProperty("event", "done");
        o.addProperty("test_acc", testAccuracy);
        o.addProperty("checkpoint", checkpoint.toString());
        write(o);
    }

    /** Flushes and fsyncs the log; its length (recorded in checkpoints), or -1 without a log. */
    @Override
    public long logBytes() {
        if (log == null) return -1;
        try {
            log.flush();
            try (FileChannel ch = FileChannel.open(logPath, StandardOpenOption.WRITE)) {
                ch.force(true);
                return ch.size();
            }
        } catch (IOException e) {
            throw new UserError("cannot write the training log " + logPath + ": " + e.getMessage());
        }
    }

    @Override
    public void onCheck(int step, java.util.List<dev.multimax.graph.TaskCheck> checks) {
        TaskCheckReport.print("step " + step, checks);
    }

    @Override
    public void onCheckpoint(Path folder, int step) {
        if (bar == null) System.out.println("checkpoint: " + folder);
    }

    /**
     * Before a resume: drops what the interrupted run logged after the checkpoint (the resumed run
     * writes those lines again), so the log reads as if the run had never stopped.
     */
    static void cutBack(Path jsonl, long bytes) {
        try {
            if (!Files.exists(jsonl)) return;
            try (FileChannel ch = FileChannel.open(jsonl, StandardOpenOption.WRITE)) {
                if (ch.size() > bytes) {
                    ch.truncate(bytes);
                    ch.force(true);
                } else if (ch.size() < bytes) {
                    System.err.println("warning: " + jsonl + " is shorter (" + ch.size() + " bytes) than when the checkpoint"
                            + " was written (" + bytes + "); appending to it");
                }
            }
        } catch (IOException e) {
            throw new UserError("cannot cut back the training log " + jsonl + ": " + e.getMessage());
        }
    }

    private void write(JsonObject o) {
        if (log == null) return;
        try {
            log.write(gson.toJson(o) + "\n");
            log.flush();
        } catch (IOException e) {
            throw new UserError("cannot write the training log: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
        try {
            if (log != null) log.close();
        } catch (IOException ignored) {
            // the lines written so far were flushed one by one
        }
    }
}
