package dev.multimax.experiment;

import dev.multimax.train.TrainingListener.EpochStats;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler.LegendPosition;

/** curves.png: test accuracy and train loss per epoch, mean over seeds, one line per variant; two panels side by side. */
public final class StudyChart {
    private static final int W = 700;
    private static final int H = 480;

    private StudyChart() {
    }

    public static byte[] png(Study study) {
        // No display on servers: AWT must not look for one (set before the first AWT class loads).
        System.setProperty("java.awt.headless", "true");
        XYChart acc = panel(study, "test accuracy (%)", e -> 100 * e.testAccuracy(),
                LegendPosition.InsideSE);
        XYChart loss = panel(study, "train loss", EpochStats::trainLoss, LegendPosition.InsideNE);
        BufferedImage out = new BufferedImage(2 * W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, 2 * W, H);
            g.drawImage(BitmapEncoder.getBufferedImage(acc), 0, 0, null);
            g.drawImage(BitmapEncoder.getBufferedImage(loss), W, 0, null);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(out, "png", bytes)) throw new IOException("no PNG writer");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode curves.png", e);
        }
        return bytes.toByteArray();
    }

    private static XYChart panel(Study study, String yTitle, ToDoubleFunction<EpochStats> f, LegendPosition legend) {
        Study.Setup s = study.setup();
        XYChart chart = new XYChartBuilder().width(W).height(H)
                .title(yTitle + " — " + s.preset() + ", mean of " + s.seeds() + " seed(s)")
                .xAxisTitle("epoch").yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(legend);
        chart.getStyler().setXAxisDecimalPattern("0");
        chart.getStyler().setMarkerSize(8);
        chart.getStyler().setXAxisMin(1.0);
        chart.getStyler().setXAxisMax((double) Math.max(2, s.epochs()));
        List<Double> epochs = IntStream.rangeClosed(1, s.epochs()).mapToObj(i -> (double) i).toList();
        for (String v : study.variants()) {
            chart.addSeries(v, epochs, study.curve(v, f));
        }
        return chart;
    }
}
