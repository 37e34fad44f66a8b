package dev.multimax.simplex;

import dev.multimax.science.RowActivation;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws a {@link SimplexFigure} with Java2D, off-screen: one panel per function in a 4 × 2 grid,
 * the last cell a legend. Each panel is the 2-simplex as an equilateral triangle (e1 bottom left,
 * e2 bottom right, e3 top); y ∈ Δ² sits at y1·e1 + y2·e2 + y3·e3. Each path is a coloured line from
 * an open circle (t = 0) to a filled dot (t = 6).
 */
public final class SimplexPlot {
    public static final int COLUMNS = 4;
    public static final int PANEL_W = 340;
    public static final int PANEL_H = 320;
    public static final int HEADER = 44;
    private static final Color[] PATH_COLORS = {new Color(0xD62728), new Color(0x1F77B4), new Color(0x2CA02C)};

    private SimplexPlot() {
    }

    public static int width() {
        return COLUMNS * PANEL_W;
    }

    public static int height(SimplexFigure fig) {
        int cells = fig.functions().size() + 1;
        return HEADER + (cells + COLUMNS - 1) / COLUMNS * PANEL_H;
    }

    public static byte[] png(SimplexFigure fig) {
        // No display on servers: AWT must not look for one (set before the first AWT class loads).
        System.setProperty("java.awt.headless", "true");
        BufferedImage img = new BufferedImage(width(), height(fig), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
            g.drawString("Paths of inputs v(t) in R\u00b3 mapped onto the 2-simplex", 16, 28);
            List<RowActivation> fs = fig.functions();
            for (int k = 0; k < fs.size(); k++) {
                panel(g, fig, fs.get(k).label(), (k % COLUMNS) * PANEL_W, HEADER + (k / COLUMNS) * PANEL_H);
            }
            int k = fs.size();
            legend(g, fig, (k % COLUMNS) * PANEL_W, HEADER + (k / COLUMNS) * PANEL_H);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the simplex PNG", e);
        }
        return out.toByteArray();
    }

    /** Triangle vertices e1, e2, e3 of a panel at (x0, y0), as {x, y} pairs. */
    private static double[][] vertices(int x0, int y0) {
        double side = PANEL_W - 90;
        double left = x0 + 45;
        double bottom = y0 + PANEL_H - 50;
        double h = side * Math.sqrt(3) / 2;
        return new double[][] {{left, bottom}, {left + side, bottom}, {left + side / 2, bottom - h}};
    }

    private static double[] project(double[][] v, double[] y) {
        return new double[] {y[0] * v[0][0] + y[1] * v[1][0] + y[2] * v[2][0],
            y[0] * v[0][1] + y[1] * v[1][1] + y[2] * v[2][1]};
    }

    private static void panel(Graphics2D g, SimplexFigure fig, String function, int x0, int y0) {
        double[][] v = vertices(x0, y0);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(function, x0 + 16, y0 + 22);
        // Medians (vertex to opposite edge midpoint): the bi-modal points lie on the edges, the
        // uniform distribution at the centre.
        g.setColor(new Color(0xDDDDDD));
        g.setStroke(new BasicStroke(1f));
        for (int i = 0; i < 3; i++) {
            double[] y = new double[3];
            y[(i + 1) % 3] = 0.5;
            y[(i + 2) % 3] = 0.5;
            double[] mid = project(v, y);
            g.draw(new java.awt.geom.Line2D.Double(v[i][0], v[i][1], mid[0], mid[1]));
        }
        Path2D tri = new Path2D.Double();
        tri.moveTo(v[0][0], v[0][1]);
        tri.lineTo(v[1][0], v[1][1]);
        tri.lineTo(v[2][0], v[2][1]);
        tri.closePath();
        g.setColor(Color.GRAY);
        g.setStroke(new BasicStroke(1.5f));
        g.draw(tri);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        g.drawString("e1", (float) v[0][0] - 22, (float) v[0][1] + 16);
        g.drawString("e2", (float) v[1][0] + 6, (float) v[1][1] + 16);
        g.drawString("e3", (float) v[2][0] - 8, (float) v[2][1] - 8);
        for (int p = 0; p < InputPath.ALL.size(); p++) {
            List<SimplexFigure.Point> pts = fig.points(function, InputPath.ALL.get(p).name());
            g.setColor(PATH_COLORS[p % PATH_COLORS.length]);
            g.setStroke(new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            Path2D line = new Path2D.Double();
            for (int i = 0; i < pts.size(); i++) {
                double[] q = project(v, pts.get(i).y());
                if (i == 0) line.moveTo(q[0], q[1]); else line.lineTo(q[0], q[1]);
            }
            g.draw(line);
            double[] start = project(v, pts.get(0).y());
            double[] end = project(v, pts.get(pts.size() - 1).y());
            g.setStroke(new BasicStroke(1.5f));
            g.draw(new Ellipse2D.Double(start[0] - 4, start[1] - 4, 8, 8));
            g.fill(new Ellipse2D.Double(end[0] - 4.5, end[1] - 4.5, 9, 9));
        }
    }

    private static void legend(Graphics2D g, SimplexFigure fig, int x0, int y0) {
        int y = y0 + 30;
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.setColor(Color.BLACK);
        g.drawString("paths, t from 0 (o) to 6 (\u25cf)", x0 + 12, y);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        for (int p = 0; p < InputPath.ALL.size(); p++) {
            y += 26;
            InputPath path = InputPath.ALL.get(p);
            g.setColor(PATH_COLORS[p % PATH_COLORS.length]);
            g.setStroke(new BasicStroke(3f));
            g.drawLine(x0 + 14, y - 5, x0 + 40, y - 5);
            g.setColor(Color.BLACK);
            g.drawString(path.name() + "  v = " + path.formula(), x0 + 48, y);
        }
        RowActivation.MultiMax mm = (RowActivation.MultiMax) fig.functions().get(fig.functions().size() - 1);
        y += 40;
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString("multimax parameters", x0 + 12, y);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        y += 22;
        g.drawString(fig.multimaxSource(), x0 + 12, y);
        y += 20;
        g.drawString("ranges " + format(mm.ranges()), x0 + 12, y);
        y += 20;
        g.drawString("ts     " + format(mm.ts()), x0 + 12, y);
        y += 34;
        g.setFont(new Font(Font.SANS_SERIF, Font.ITALIC, 12));
        g.drawString("vertices: one mode; edges: two; interior: three", x0 + 12, y);
    }

    static String format(double[] v) {
        return Arrays.stream(v).mapToObj(d -> String.format(Locale.ROOT, "%.3g", d)).toList().toString();
    }
}
