package dev.multimax.device.java;

/**
 * java:0's matmul parameters as one named row, like the OpenCL devices' {@code Tuning}: the
 * default row, each field overridable with {@code -Dmultimax.matmul.<field>} for tuning
 * experiments (docs/MATMUL.md). Read once, when {@link Matmul} loads, so the kernels see constants.
 *
 * @param mr               rows per micro-tile: 8 with 16-lane vectors, 6 with 8 lanes ({@code mr})
 * @param kc               largest k-block; k is split evenly into ceil(k / kc) pieces ({@code kc})
 * @param mcTiles          most micro-tile rows per task: row blocks of mcTiles·mr ({@code mcTiles})
 * @param tasksPerThread   tasks per thread aimed for when splitting work ({@code tasksPerThread})
 * @param packTransA       pack A also when it is stored [K,M] ({@code packTransA})
 * @param packAMinPanels   A stored [M,K] is packed per k-block when a task covers at least this many
 *                         panels, else read in place ({@code packAMinPanels})
 * @param bDirectMaxM      B stored [K,N] is read in place (full panels only) when m is at most this
 *                         ({@code bDirectMaxM})
 */
record MatmulTuning(int mr, int kc, int mcTiles, int tasksPerThread, boolean packTransA, int packAMinPanels,
                    int bDirectMaxM) {
    private static final String PREFIX = "multimax.matmul.";

    MatmulTuning {
        if (mr != 6 && mr != 8) throw new IllegalArgumentException("unsupported " + PREFIX + "mr=" + mr + " (6 or 8)");
    }

    /** The default row for vectors of {@code lanes} floats. */
    static MatmulTuning defaults(int lanes) {
        return new MatmulTuning(lanes >= 16 ? 8 : 6, 256, 16, 2, false, 5, 512);
    }

    /** The default row with the {@code -Dmultimax.matmul.*} overrides applied. */
    static MatmulTuning fromProperties(int lanes) {
        MatmulTuning d = defaults(lanes);
        return new MatmulTuning(Integer.getInteger(PREFIX + "mr", d.mr), Integer.getInteger(PREFIX + "kc", d.kc),
                Integer.getInteger(PREFIX + "mcTiles", d.mcTiles),
                Integer.getInteger(PREFIX + "tasksPerThread", d.tasksPerThread),
                Boolean.parseBoolean(System.getProperty(PREFIX + "packTransA", String.valueOf(d.packTransA))),
                Integer.getInteger(PREFIX + "packAMinPanels", d.packAMinPanels),
                Integer.getInteger(PREFIX + "bDirectMaxM", d.bDirectMaxM));
    }
}
