package dev.multimax.analysis;

import dev.multimax.device.ref.RefMultiMax;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * The learned modulators σ of a model, one panel per site (attention layers, then the head), each
 * over the range of inputs it saw, with the identity (what softmax uses) dashed for reference.
 * A site without a modulator gets the identity only and says so.
 */
public final class SigmaPlot {
    public static final int COLUMNS = 4;
    public static final int PANEL_W = 330;
    public static final int PANEL_H = 280;
    public static final int HEADER = 44;
    private static final int SAMPLES = 400;

    /**
     * One site: {@code ranges}/{@code ts} null when it has no modulator ({@code activation} names what
     * it uses instead); σ is drawn for x in [lo, hi].
     */
    public record Panel(String title, String activation, double[] ranges, double[] ts, double lo, double hi) {
        boolean modulated() {
            return ranges != null;
        }
    }

    private SigmaPlot() {
    }

    public static int width(int panels) {
        return Math.min(panels, COLUMNS) * PANEL_W;
    }

    public static int height(int panels) {
        return HEADER + (panels + COLUMNS - 1) / COLUMNS * PANEL_H;
    }

    public static byte[] png(List<Panel> panels, String title) {
        BufferedImage img = Png.canvas(width(panels.size()), height(panels.size()));
        Graphics2D g = img.createGraphics();
        try {
            Png.hints(g);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 17));
            g.drawString(title, 14, 28);
            for (int k = 0; k < panels.size(); k++) {
                panel(g, panels.get(k), (k % COLUMNS) * PANEL_W, HEADER + (k / COLUMNS) * PANEL_H);
            }
        } finally {
            g.dispose();
        }
        return Png.encode(img);
    }

    private static void panel(Graphics2D g, Panel p, int x0, int y0) {
        double lo = p.lo();
        double hi = p.hi();
        if (!(Double.isFinite(lo) && Double.isFinite(hi))) {
            lo = -1;
            hi = 1;
        }
        if (hi - lo < 1e-9) {
            lo -= 1;
            hi += 1;
        }
        double[] xs = new double[SAMPLES];
        double[] ys = new double[SAMPLES];
        double yLo = Math.min(lo, hi);
        double yHi = Math.max(lo, hi);
        double[] params = new double[8];
        if (p.modulated()) {
            System.arraycopy(p.ranges(), 0, params, 0, 4);
            System.arraycopy(p.ts(), 0, params, 4, 4);
        }
        for (int i = 0; i < SAMPLES; i++) {
            xs[i] = lo + (hi - lo) * i / (SAMPLES - 1);
            ys[i] = RefMultiMax.sigma(xs[i], params); // all-zero params: σ(x) = x
            yLo = Math.min(yLo, ys[i]);
            yHi = Math.max(yHi, ys[i]);
        }
        if (yHi - yLo < 1e-9) {
            yLo -= 1;
            yHi += 1;
        }
        int left = x0 + 62;
        int right = x0 + PANEL_W - 18;
        int top = y0 + 40;
        int bottom = y0 + PANEL_H - 46;
        Axes ax = new Axes(lo, hi, yLo, yHi, left, right, top, bottom);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(p.title(), x0 + 14, y0 + 22);
        g.setColor(new Color(0xF4F4F4));
        g.fillRect(left, top, right - left, bottom - top);
        g.setStroke(new BasicStroke(1f));
        g.setColor(new Color(0xBBBBBB));
        if (lo < 0 && hi > 0) g.drawLine((int) ax.px(0), top, (int) ax.px(0), bottom);
        if (yLo < 0 && yHi > 0) g.drawLine(left, (int) ax.py(0), right, (int) ax.py(0));
        g.setColor(Color.GRAY);
        g.drawRect(left, top, right - left, bottom - top);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(Color.BLACK);
        g.drawString(Png.num(lo), left - 4, bottom + 16);
        String hiLabel = Png.num(hi);
        g.drawString(hiLabel, right - g.getFontMetrics().stringWidth(hiLabel), bottom + 16);
        g.drawString("x", (left + right) / 2 - 3, bottom + 16);
        String yHiLabel = Png.num(yHi);
        String yLoLabel = Png.num(yLo);
        g.drawString(yHiLabel, left - 6 - g.getFontMetrics().stringWidth(yHiLabel), top + 10);
        g.drawString(yLoLabel, left - 6 - g.getFontMetrics().stringWidth(yLoLabel), bottom);
        // identity, dashed
        g.setColor(Color.GRAY);
        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {6, 5}, 0));
        g.draw(new java.awt.geom.Line2D.Double(ax.px(lo), ax.py(lo), ax.px(hi), ax.py(hi)));
        if (p.modulated()) {
            Path2D line = new Path2D.Double();
            for (int i = 0; i < SAMPLES; i++) {
                if (i == 0) line.moveTo(ax.px(xs[i]), ax.py(ys[i])); else line.lineTo(ax.px(xs[i]), ax.py(ys[i]));
            }
            g.setColor(new Color(0x1F77B4));
            g.setStroke(new BasicStroke(2.4f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(line);
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(p.modulated() ? new Color(0x1F77B4) : new Color(0xB22222));
        String note = p.modulated() ? "\u03c3(x) (solid), identity (dashed)" : "no modulator (" + p.activation() + ")";
        g.drawString(note, left, bottom + 34);
    }

    /** Data to pixel coordinates of one plot area. */
    private record Axes(double x0, double x1, double y0, double y1, int left, int right, int top, int bottom) {
        double px(double x) {
            return left + (x - x0) / (x1 - x0) * (right - left);
        }

        double py(double y) {
            return bottom - (y - y0) / (y1 - y0) * (bottom - top);
        }
    }
}
