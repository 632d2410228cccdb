package io.dic4j.metrics;

/**
 * Normalised mean error of landmarks: the mean point-to-point distance divided by a reference distance of the
 * ground truth.
 */
public final class Nme {

    /** Which ground-truth distance normalises the error. */
    public enum Normalisation {
        /** Outer eye corners: points 36 and 45 of 68 (eye centres 0 and 1 of CelebA's 5). The standard. */
        INTER_OCULAR(36, 45),
        /** The reference code's variant: points 37 and 46 of 68 (upper eyelids, not the corners). */
        REFERENCE_37_46(37, 46);

        private final int a;
        private final int b;

        Normalisation(int a, int b) {
            this.a = a;
            this.b = b;
        }

        /** Whether this normalisation is defined for faces of {@code points} landmarks. */
        public boolean definedFor(int points) {
            return points == 68 || (points == 5 && this == INTER_OCULAR);
        }

        double distance(double[][] gt) {
            if (!definedFor(gt.length)) {
                throw new IllegalArgumentException(this + " NME is not defined for " + gt.length + " points");
            }
            return gt.length == 5 ? Math.hypot(gt[0][0] - gt[1][0], gt[0][1] - gt[1][1])
                    : Math.hypot(gt[a][0] - gt[b][0], gt[a][1] - gt[b][1]);
        }
    }

    private Nme() {}

    /** Mean over points of |pred − gt|, divided by the normalising distance of gt. */
    public static double of(float[][] predicted, double[][] groundTruth, Normalisation normalisation) {
        if (predicted.length != groundTruth.length) {
            throw new IllegalArgumentException(predicted.length + " predicted points, " + groundTruth.length
                    + " in the ground truth");
        }
        double sum = 0;
        for (int i = 0; i < predicted.length; i++) {
            sum += Math.hypot(predicted[i][0] - groundTruth[i][0], predicted[i][1] - groundTruth[i][1]);
        }
        return sum / predicted.length / normalisation.distance(groundTruth);
    }
}
