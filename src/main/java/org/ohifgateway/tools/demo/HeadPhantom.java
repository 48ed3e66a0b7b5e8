package org.ohifgateway.tools.demo;

/**
 * A three-dimensional head phantom in the spirit of Shepp and Logan: overlapping ellipsoids,
 * each adding its value, in millimetres around the centre of the head (x left-right, y
 * anterior-posterior, z inferior-superior).
 */
final class HeadPhantom {

    /** centre x, y, z; semi-axes a, b, c; CT value added (HU); MR value added */
    private static final double[][] ELLIPSOIDS = {
        {0, 0, 0, 69, 92, 90, 2000, 300},          // skull
        {0, -1.8, 0, 66, 87, 88, -960, 500},        // brain
        {22, 0, 5, 11, 31, 22, -40, -550},          // right ventricle
        {-22, 0, 5, 16, 41, 28, -40, -550},         // left ventricle
        {0, 35, -15, 21, 25, 21, 30, 120},          // lesion
        {0, 10, 25, 4.6, 4.6, 4.6, 50, 200},        // small lesion
        {-8, -60, -25, 4.6, 2.3, 2, 60, 180},       // cerebellar spots
        {6, -60, -25, 2.3, 2.3, 2, 60, 180},
    };

    private HeadPhantom() {
    }

    static double ct(double x, double y, double z) {
        return -1000 + sum(x, y, z, 6);
    }

    static double mr(double x, double y, double z) {
        return sum(x, y, z, 7);
    }

    private static double sum(double x, double y, double z, int column) {
        double value = 0;
        for (double[] e : ELLIPSOIDS) {
            double dx = (x - e[0]) / e[3];
            double dy = (y - e[1]) / e[4];
            double dz = (z - e[2]) / e[5];
            if (dx * dx + dy * dy + dz * dz <= 1) {
                value += e[column];
            }
        }
        return value;
    }
}
