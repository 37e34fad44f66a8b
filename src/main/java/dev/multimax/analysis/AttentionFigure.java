package dev.multimax.analysis;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

/**
 * The attention maps of one image: the input, then per layer (a) the attention row of the centre
 * patch and (b) the attention each patch receives on average over all queries, both averaged over
 * heads, upsampled (bilinear over patch centres) to the image and overlaid on it in heat colours.
 * Each map has its own colour scale, from 0 (the image shows through) to its largest value
 * (bright yellow); the caption gives that value.
 */
public final class AttentionFigure {
    public static final int CELL = 168;
    public static final int GAP = 14;
    public static final int HEADER = 58;
    public static final int ROW_TITLE = 26;
    public static final int CAPTION = 22;

    /**
     * One image: {@code pixels} (size × size, in [0, 1]); the patch grid is grid × grid with the
     * centre query {@code centre}; {@code centreRows[l]} and {@code meanRows[l]} hold layer l's N =
     * grid² key weights.
     */
    public record Sample(int index, int label, int predicted, float[] pixels, int size, int grid, int centre,
                         double[][] centreRows, double[][] meanRows) {
        public int layers() {
            return centreRows.length;
        }
    }

    private AttentionFigure() {
    }

    public static int width(int layers) {
        return GAP + (layers + 1) * (CELL + GAP);
    }

    public static int height() {
        return HEADER + 2 * (ROW_TITLE + CELL + CAPTION);
    }

    public static byte[] png(Sample s, String title) {
        BufferedImage img = Png.canvas(width(s.layers()), height());
        Graphics2D g = img.createGraphics();
        try {
            Png.hints(g);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            g.drawString(title, GAP, 24);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            String scale = "colour per map: 0";
            g.drawString(scale, GAP, 46);
            int bx = GAP + g.getFontMetrics().stringWidth(scale) + 8;
            for (int i = 0; i < 120; i++) {
                g.setColor(new Color(heat(i / 119.0)));
                g.fillRect(bx + i, 36, 1, 12);
            }
            g.setColor(Color.BLACK);
            g.drawString("map max (given under each map)", bx + 128, 46);
            String[] rows = {"(a) attention of the centre patch (outlined), mean over heads",
                "(b) attention received, mean over all queries and heads"};
            for (int r = 0; r < 2; r++) {
                int y = HEADER + r * (ROW_TITLE + CELL + CAPTION);
                g.setColor(Color.BLACK);
                g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
                g.drawString(rows[r], GAP, y + 18);
                int top = y + ROW_TITLE;
                g.drawImage(cell(s, null), GAP, top, null);
                if (r == 0) outlineCentre(g, s, GAP, top);
                g.setColor(Color.BLACK);
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
                g.drawString("input", GAP, top + CELL + 16);
                for (int l = 0; l < s.layers(); l++) {
                    double[] map = r == 0 ? s.centreRows()[l] : s.meanRows()[l];
                    int x = GAP + (l + 1) * (CELL + GAP);
                    g.drawImage(cell(s, map), x, top, null);
                    if (r == 0) outlineCentre(g, s, x, top);
                    g.setColor(Color.BLACK);
                    g.drawString("layer " + l + "  max " + Png.num(max(map)), x, top + CELL + 16);
                }
            }
        } finally {
            g.dispose();
        }
        return Png.encode(img);
    }

    private static void outlineCentre(Graphics2D g, Sample s, int x0, int y0) {
        double w = CELL / (double) s.grid();
        int cx = s.centre() % s.grid();
        int cy = s.centre() / s.grid();
        g.setColor(new Color(0x00C8FF));
        g.setStroke(new BasicStroke(2f));
        g.draw(new java.awt.geom.Rectangle2D.Double(x0 + cx * w, y0 + cy * w, w, w));
    }

    /** The image at CELL × CELL, with {@code map} (grid² values, or null for none) overlaid. */
    static BufferedImage cell(Sample s, double[] map) {
        BufferedImage img = new BufferedImage(CELL, CELL, BufferedImage.TYPE_INT_RGB);
        double top = map == null ? 0 : max(map);
        int n = s.grid();
        for (int v = 0; v < CELL; v++) {
            int py = Math.min(s.size() - 1, v * s.size() / CELL);
            double gy = clamp((v + 0.5) / CELL * n - 0.5, 0, n - 1);
            for (int u = 0; u < CELL; u++) {
                int px = Math.min(s.size() - 1, u * s.size() / CELL);
                double gray = clamp(s.pixels()[py * s.size() + px], 0, 1);
                double r = gray;
                double gr = gray;
                double b = gray;
                if (map != null) {
                    double gx = clamp((u + 0.5) / CELL * n - 0.5, 0, n - 1);
                    double t = top > 0 ? clamp(bilinear(map, n, gx, gy) / top, 0, 1) : 0;
                    int h = heat(t);
                    double alpha = 0.15 + 0.7 * t;
                    r = (1 - alpha) * gray + alpha * ((h >> 16) & 0xff) / 255.0;
                    gr = (1 - alpha) * gray + alpha * ((h >> 8) & 0xff) / 255.0;
                    b = (1 - alpha) * gray + alpha * (h & 0xff) / 255.0;
                }
                img.setRGB(u, v, rgb(r, gr, b));
            }
        }
        return img;
    }

    /** Heat colours ("hot"): black → red → yellow → white for t from 0 to 1. */
    static int heat(double t) {
        return rgb(clamp(3 * t, 0, 1), clamp(3 * t - 1, 0, 1), clamp(3 * t - 2, 0, 1));
    }

    private static double bilinear(double[] map, int n, double x, double y) {
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        int x1 = Math.min(x0 + 1, n - 1);
        int y1 = Math.min(y0 + 1, n - 1);
        double fx = x - x0;
        double fy = y - y0;
        double top = (1 - fx) * map[y0 * n + x0] + fx * map[y0 * n + x1];
        double bot = (1 - fx) * map[y1 * n + x0] + fx * map[y1 * n + x1];
        return (1 - fy) * top + fy * bot;
    }

    static double max(double[] v) {
        double m = 0;
        for (double x : v) m = Math.max(m, x);
        return m;
    }

    private static int rgb(double r, double g, double b) {
        return ((int) Math.round(255 * r) << 16) | ((int) Math.round(255 * g) << 8) | (int) Math.round(255 * b);
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
