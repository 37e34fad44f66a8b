package dev.multimax.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler.LegendPosition;

/** compare.png: ms per step of each op family, one bar per device, drawn off-screen. */
public final class CompareChart {
    private CompareChart() {
    }

    public static byte[] png(Comparison c) {
        // No display on servers: AWT must not look for one (set before the first AWT class loads).
        System.setProperty("java.awt.headless", "true");
        List<String> families = c.families();
        CategoryChart chart = new CategoryChartBuilder().width(1100).height(600).title(c.title())
                .xAxisTitle("op family").yAxisTitle("ms per step (median)").build();
        chart.getStyler().setLegendPosition(LegendPosition.InsideNE);
        chart.getStyler().setXAxisLabelRotation(30);
        chart.getStyler().setYAxisDecimalPattern("#,##0.##");
        for (Comparison.DeviceRun r : c.runs()) {
            List<Double> ms = families.stream().map(f -> Comparison.familyMs(r, f)).toList();
            chart.addSeries(r.id(), families, ms);
        }
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode compare.png", e);
        }
    }
}
