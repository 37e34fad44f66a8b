package dev.multimax.simplex;

import dev.multimax.science.RowActivation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The data of the simplex figure: every {@link InputPath} mapped by softmax at T = 0.5, 1, 2,
 * sparsemax, entmax-1.5, evsoftmax (evaluation form) and the given MultiMax.
 */
public final class SimplexFigure {
    /**
     * Built-in MultiMax parameters, chosen by hand (first-order terms only) to show the effect on
     * inputs of the paths' size: below r0 = 0 the slope is 1 − t0 = 3, so negative entries are pushed
     * far down (suppressed); above r1 = 1 the slope is 1 + t1 = 0.2, so large entries are pulled
     * together (two of them both keep a large share); in between σ is the identity.
     */
    public static final double[] BUILT_IN_RANGES = {0.0, 1.0, 0.0, 0.0};
    public static final double[] BUILT_IN_TS = {-2.0, -0.8, 0.0, 0.0};

    /** One plotted point: function label, path name, t and the output distribution. */
    public record Point(String function, String path, double t, double[] y) {
    }

    private final List<RowActivation> functions;
    private final String multimaxSource;
    private final List<Point> points = new ArrayList<>();

    /** @param multimaxSource where the MultiMax parameters come from, for the legend */
    public SimplexFigure(RowActivation.MultiMax multimax, String multimaxSource) {
        this.functions = List.of(new RowActivation.Softmax(0.5), new RowActivation.Softmax(1),
                new RowActivation.Softmax(2), new RowActivation.Sparsemax(), new RowActivation.Entmax15(),
                new RowActivation.EvSoftmax(false), multimax);
        this.multimaxSource = multimaxSource;
        for (RowActivation f : functions) {
            for (InputPath p : InputPath.ALL) {
                for (int i = 0; i < InputPath.SAMPLES; i++) {
                    double t = InputPath.t(i);
                    points.add(new Point(f.label(), p.name(), t, f.forward(p.at().apply(t))));
                }
            }
        }
    }

    public static RowActivation.MultiMax builtIn() {
        return new RowActivation.MultiMax(BUILT_IN_RANGES, BUILT_IN_TS);
    }

    public List<RowActivation> functions() {
        return functions;
    }

    public String multimaxSource() {
        return multimaxSource;
    }

    public List<Point> points() {
        return points;
    }

    /** The points of one function and path, in t order. */
    public List<Point> points(String function, String path) {
        return points.stream().filter(p -> p.function().equals(function) && p.path().equals(path)).toList();
    }

    /** {@code function,path,t,y1,y2,y3}, one line per point, full float64 precision. */
    public String csv() {
        StringBuilder sb = new StringBuilder("function,path,t,y1,y2,y3\n");
        for (Point p : points) {
            sb.append(p.function()).append(',').append(p.path()).append(',')
                    .append(String.format(Locale.ROOT, "%.2f", p.t()));
            for (double v : p.y()) sb.append(',').append(v);
            sb.append('\n');
        }
        return sb.toString();
    }
}
